// Prints SshConfig::dump() for one host; no connection is made.
#include "ConfigCommand.h"

#include "SshConfig.h"

#include <cstdio>

namespace rdt {

QString systemSshConfigFile()
{
    return qEnvironmentVariableIsSet("RDT_SSH_SYSTEM_CONFIG") ? qEnvironmentVariable("RDT_SSH_SYSTEM_CONFIG")
                                                             : SshConfig::defaultSystemFile();
}

int runConfigCommand(const CliOptions &options)
{
    if (options.arguments.size() != 1) {
        std::fputs("rdtctl: config takes one HOST\n", stderr);
        return 2;
    }
    Result<SshConfig> config = SshConfig::load(options.sshConfigFile, {}, systemSshConfigFile());
    if (!config) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(config.error().message));
        return 255;
    }
    for (const QString &warning : config->warnings())
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(warning));
    Result<QStringList> lines = config->dump(options.arguments.first(), options.jumps);
    if (!lines) {
        std::fprintf(stderr, "rdtctl: %s\n", qPrintable(lines.error().message));
        return 255;
    }
    for (const QString &line : lines.value())
        std::printf("%s\n", qPrintable(line));
    return 0;
}

} // namespace rdt
