// The one place an eval's command line is made: EvalLaunchOptions into the argument list of
// `rdt-trainer eval`. Paths only the server knows are placeholders the launch script fills
// in on the server, so another eval command (a server's own LIBERO script, kept as a preset)
// can take this one's place as a template with the same fields.
#pragma once

#include "EvalCommandPreset.h"
#include "EvalLaunchOptions.h"
#include "Result.h"

#include <QStringList>

namespace rdt {

class EvalCommandLine {
public:
    // Filled in wherever they appear in an argument ("--out={output_dir}/x" works too).
    static constexpr const char *kCheckpoint = "{checkpoint}";   // ROOT/runs/RUN/checkpoint-N
    static constexpr const char *kOutputDir = "{output_dir}";    // ROOT/runs/RUN/eval/checkpoint-N
    static constexpr const char *kVideoDir = "{video_dir}";      // the output folder's videos/
    static constexpr const char *kRunDir = "{run_dir}";          // ROOT/runs/RUN

    // `TRAINER eval --checkpoint {checkpoint} ... --output_dir {output_dir}`.
    static QStringList forTrainer(const EvalLaunchOptions &options, const QString &trainer = QStringLiteral("rdt-trainer"));

    // An eval preset's shell line for one eval (EvalLauncher's shellLine): the preset's
    // fields filled from the run's paths under `remoteRoot` ("~/" stays for the server's
    // shell) and the options, the preset's environment exported first unless the run's
    // environment (exported before the line runs) already sets a variable.
    [[nodiscard]] static Result<QByteArray> forPreset(const EvalCommandPreset &preset, const QString &remoteRoot,
                                                      const QString &runName, const EvalLaunchOptions &options,
                                                      const QString &trainer, const EvalCommandValues &userValues = {});

    // A command line the launcher can carry: a program, and no --output_dir other than the
    // placeholder's (the eval's files must land where the view and the download look).
    [[nodiscard]] static Result<void> check(const QStringList &argv);
};

} // namespace rdt
