// `rdt-trainer stats --dataset PATH [--out dataset_stat.json] [--dataset_name NAME]`:
// streams the dataset once and writes RDT's dataset_stat.json shape plus MD5 and counts.
#pragma once

namespace rdt::data {

// argv[0] is "stats" (or the program name); the flags follow. Returns the exit code; on
// failure prints one line to stderr.
int runStatsCommand(int argc, char** argv);

}  // namespace rdt::data
