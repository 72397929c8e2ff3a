// `rdt-trainer eval`: flags into EvalOptions, then the eval; one summary line on stdout.
#include "cli/CommandLine.h"
#include "cli/Commands.h"
#include "eval/Evaluator.h"

#include <iostream>

namespace rdt {

int runEvalCommand(int argc, char **argv)
{
    const CommandLine args(argc, argv,
        {"checkpoint", "weights", "dataset", "episodes", "exec_horizon", "video_output_dir", "output_dir", "device",
         "seed", "batch_size"},
        {"record_video"});
    EvalOptions o;
    o.checkpoint = args.required("checkpoint");
    o.weights = args.text("weights", o.weights);
    o.dataset = args.text("dataset");
    o.episodes = args.text("episodes");
    o.exec_horizon = args.integer("exec_horizon", o.exec_horizon);
    o.record_video = args.text("record_video", "false") != "false";
    o.video_output_dir = args.text("video_output_dir");
    o.output_dir = args.text("output_dir");
    o.device = args.text("device", o.device);
    o.seed = args.integer("seed", o.seed);
    o.batch_size = args.integer("batch_size", o.batch_size);
    const EvalSummary s = runEval(o);
    std::cout << "eval: " << s.episodes << " episodes, mse " << s.mse << ", l2err " << s.l2err
              << ", gripper agreement " << s.gripper_agreement << ", samples/s "
              << (s.sample_seconds > 0 ? static_cast<double>(s.samples) / s.sample_seconds : 0.0) << ", results in "
              << s.output_dir << std::endl;
    return 0;
}

} // namespace rdt
