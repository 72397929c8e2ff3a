// One pass of ssh_config over the lines for one destination: which Host and Match blocks
// apply (readconf.c's Host handling and match_cfg_line()), and the first value of each
// keyword they give. SshConfig runs it once, or twice when canonicalisation or
// `Match final` asks for the final pass.
#pragma once

#include "SshConfigReader.h"
#include "SshResolvedOptions.h"
#include "SshTokens.h"

namespace rdt {

class SshConfigEvaluator {
public:
    // hostForHostLines: the name Host patterns see: as typed in the first pass, the
    // resolved HostName in the final one.
    SshConfigEvaluator(const SshLocalSide &local, const QString &hostForHostLines, bool finalPass)
        : m_local(local), m_host(hostForHostLines), m_finalPass(finalPass) {}

    // Applies one file's lines (with its Includes) to `options`; a file starts active.
    void apply(const QList<SshConfigLine> &lines, SshResolvedOptions &options) const;

private:
    void applyLines(const QList<SshConfigLine> &lines, bool enclosingActive, SshResolvedOptions &options) const;
    void take(const SshConfigLine &line, SshResolvedOptions &options) const;
    [[nodiscard]] bool matchLine(const SshConfigLine &line, SshResolvedOptions &options) const;
    // The name `Match host` and %h see at this point of the walk.
    QString currentHost(const SshResolvedOptions &options) const;
    // `Match exec`: the command with its tokens, run by the user's shell; true on exit 0.
    bool runExec(const QString &command, const SshConfigLine &line, const SshResolvedOptions &options) const;

    const SshLocalSide &m_local;
    QString m_host;
    bool m_finalPass;
};

} // namespace rdt
