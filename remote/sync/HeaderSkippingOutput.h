// A remote command's standard output passed on to another sink from the line after a
// header on: what a login shell prints before the command's own output (an rc file's echo,
// a "Welcome" banner) never reaches a downloaded file.
#pragma once

#include "CommandStreams.h"

#include <QByteArray>

#include <memory>

namespace rdt {

class HeaderSkippingOutput : public CommandOutput {
public:
    // `tag` is the header the command prints first with ScriptAnswer::printHeader.
    HeaderSkippingOutput(QByteArray tag, std::shared_ptr<CommandOutput> inner);

    bool write(const char *data, qint64 size) override;
    QString errorString() const override;

    // Whether the header came; a command that ended without one sent nothing of its own.
    bool headerSeen() const { return m_seen; }

private:
    QByteArray m_tag;
    std::shared_ptr<CommandOutput> m_inner;
    QByteArray m_before;   // the output so far, while the header has not come
    bool m_seen = false;
    QString m_error;
};

} // namespace rdt
