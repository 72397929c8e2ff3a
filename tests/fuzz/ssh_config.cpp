// Fuzzes the ssh_config reader (tokenising, quoting, value checks) and both evaluator passes
// for a host, then token expansion of the HostName they chose: no crash, no undefined
// behaviour. Inputs that name Include or Match exec are skipped, since those read other
// files or run commands, which a fuzzer must not do.
#include "SshConfigEvaluator.h"
#include "SshConfigReader.h"
#include "SshTokens.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray lower = text.toLower();
    if (lower.contains("include") || lower.contains("exec"))
        return 0;
    rdt::SshConfigReader reader(QStringLiteral("/nonexistent-home"));
    const auto lines = reader.parseText(text, QStringLiteral("config"));
    if (!lines)
        return 0;
    const rdt::SshLocalSide local{QStringLiteral("me"), QStringLiteral("/nonexistent-home"),
                                  QStringLiteral("ws.example"), QStringLiteral("1000")};
    for (const bool finalPass : {false, true}) {
        rdt::SshResolvedOptions options;
        options.originalHost = QStringLiteral("gpu01");
        options.hostName = QStringLiteral("gpu01");
        rdt::SshConfigEvaluator(local, QStringLiteral("gpu01"), finalPass).apply(*lines, options);
        if (const rdt::SshConfigValue *hostName = options.value(QStringLiteral("hostname")))
            (void)rdt::SshTokens::expand(hostName->arguments.value(0), {{QLatin1Char('h'), QStringLiteral("gpu01")}},
                                         false, hostName->where);
    }
    return 0;
}
