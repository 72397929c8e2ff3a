// The tiny run, the eval command line and the MP4 readers of the eval tests.
#include "support_eval_run.h"

#include "support_libero_fixture.h"
#include "support_tiny_config.h"
#include "support_trainer_paths.h"
#include "train/Trainer.h"

#include <fstream>
#include <sstream>

namespace rdt::evaltest {

TinyRun trainTinyRun(const std::string &testName, const std::vector<int> &demoSteps)
{
    TinyRun run;
    run.folder = trainertest::scratchFolder(testName);
    fixture::LiberoFixture libero;
    libero.demo_steps = demoSteps;
    libero.image_height = kCameraSide;
    libero.image_width = kCameraSide;
    libero.instruction = kInstruction;
    run.dataset = run.folder + "/libero.hdf5";
    writeLiberoFixture(run.dataset, libero);
    run.config = run.folder + "/tiny.yaml";
    trainertest::writeTinyConfigYaml(run.config, 2, 4);
    TrainOptions o;
    o.config = run.config;
    o.dataset = run.dataset;
    o.output_dir = run.folder + "/run";
    // The tiny model's stand-ins, opted into: the eval tests need no SigLIP or T5.
    o.vision_encoder = "patch";
    o.lang = "learned";
    o.train_batch_size = 2;
    o.learning_rate = 1e-3;
    o.max_train_steps = 2;
    o.checkpointing_period = 2;
    o.dataloader_num_workers = 0;
    o.holdout_every = 2;
    o.seed = 7;
    runTraining(o);
    run.checkpoint = o.output_dir + "/checkpoint-2";
    return run;
}

double demonstratedAction(int demo, int t, int column)
{
    return static_cast<float>(fixture::fixtureAction(demo, t, column));
}

int runEvalWith(const std::string &trainer, const std::vector<std::string> &args, std::string &output,
                const std::string &shellPrefix)
{
    std::string line = shellPrefix + " " + trainertest::shellQuote(trainer) + " eval";
    for (const std::string &arg : args)
        line += " " + trainertest::shellQuote(arg);
    return trainertest::runCommand(line, output);
}

ProbedVideo probeVideo(const std::string &path)
{
    std::string output;
    const int status = trainertest::runCommand(
        "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
        "stream=codec_name,pix_fmt,r_frame_rate,width,height,nb_read_frames -of default=noprint_wrappers=1 " +
            trainertest::shellQuote(path),
        output);
    ProbedVideo probed;
    if (status != 0)
        return probed;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        const size_t eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        if (key == "codec_name") probed.codec = value;
        if (key == "pix_fmt") probed.pix_fmt = value;
        if (key == "r_frame_rate") probed.frame_rate = value;
        if (key == "width") probed.width = std::stoi(value);
        if (key == "height") probed.height = std::stoi(value);
        if (key == "nb_read_frames") probed.frames = std::stoi(value);
    }
    return probed;
}

DecodedFrame decodeFirstFrame(const std::string &path)
{
    DecodedFrame frame;
    const ProbedVideo probed = probeVideo(path);
    const std::string raw = path + ".first.rgb";
    std::string output;
    if (trainertest::runCommand("ffmpeg -v error -y -i " + trainertest::shellQuote(path) +
                                    " -frames:v 1 -f rawvideo -pix_fmt rgb24 " + trainertest::shellQuote(raw),
                                output) != 0)
        return frame;
    std::ifstream in(raw, std::ios::binary);
    frame.rgb.assign(std::istreambuf_iterator<char>(in), {});
    if (frame.rgb.size() != static_cast<size_t>(probed.width) * probed.height * 3)
        return {};
    frame.width = probed.width;
    frame.height = probed.height;
    return frame;
}

} // namespace rdt::evaltest
