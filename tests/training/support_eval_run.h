// What the eval tests share: a tiny run trained for two steps on a LIBERO-layout file with
// 128-px cameras (so the videos are the real size), the eval command line, and ffprobe /
// ffmpeg to read the MP4s back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdt::evaltest {

// Four demos; with holdout_every 2 the run holds out demo_1 and demo_3.
inline const std::vector<int> kDemoSteps = {40, 36, 30, 45};
inline const std::string kInstruction = "put the black bowl on the plate";
constexpr int kCameraSide = 128;

struct TinyRun {
    std::string folder;     // scratch folder
    std::string dataset;    // folder/libero.hdf5
    std::string config;     // folder/tiny.yaml
    std::string checkpoint; // folder/run/checkpoint-2
};

// Writes the dataset and trains two steps (checkpoint-2). demoSteps overrides kDemoSteps.
TinyRun trainTinyRun(const std::string &testName, const std::vector<int> &demoSteps = kDemoSteps);

// The fixture's demonstrated LIBERO action (as the file stores it, in float).
double demonstratedAction(int demo, int t, int column);

// Runs `TRAINER eval ARGS` (prefix, e.g. "ulimit -f 100;", goes before it in the shell);
// output gets stdout and stderr.
int runEvalWith(const std::string &trainer, const std::vector<std::string> &args, std::string &output,
                const std::string &shellPrefix);

#ifdef RDT_TRAINER_BINARY
// The same with the rdt-trainer this build made (the test executables know its path).
inline int runEval(const std::vector<std::string> &args, std::string &output, const std::string &shellPrefix = "")
{
    return runEvalWith(RDT_TRAINER_BINARY, args, output, shellPrefix);
}
#endif

struct ProbedVideo {
    std::string codec, pix_fmt, frame_rate;
    int width = 0, height = 0, frames = -1;
};
ProbedVideo probeVideo(const std::string &path);

struct DecodedFrame {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
    int at(int x, int y, int channel) const { return rgb[(static_cast<size_t>(y) * width + x) * 3 + channel]; }
};
// The first frame as RGB24, through the ffmpeg program.
DecodedFrame decodeFirstFrame(const std::string &path);

} // namespace rdt::evaltest
