// Paths the trainer tests share: the copied fixtures, the reference Python, scratch folders.
#pragma once

#include <string>

namespace rdt::trainertest {

// tests/training/data/<name>: fixtures copied from ../shared/fixtures.
std::string trainerTestData(const std::string &name);
// tests/training/python/<name>: the PyTorch reference scripts.
std::string referenceScript(const std::string &name);
// The Python that has Debian's python3-torch, or "" when none does (tests then skip).
std::string pythonWithTorch();
// A fresh, empty scratch folder for one test.
std::string scratchFolder(const std::string &testName);
// Runs a shell command line; returns its exit status and fills output with stdout+stderr.
int runCommand(const std::string &commandLine, std::string &output);
// Quotes one argument for /bin/sh.
std::string shellQuote(const std::string &argument);

} // namespace rdt::trainertest
