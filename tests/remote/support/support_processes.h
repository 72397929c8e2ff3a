// Looking at this machine's processes from a test (the topology's hosts share it, so the
// GPU host's processes are among them).
#pragma once

#include <QByteArray>

// Whether any process has `argument` as one of its arguments.
bool processWithArgument(const QByteArray &argument);

// Whether any process has an argument that contains `text`.
bool processMentioning(const QByteArray &text);
