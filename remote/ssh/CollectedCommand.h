// One server command whose whole output is wanted at its end: the listing, stop and check
// classes start one, read output() when finished() arrives, and parse it. It gathers the
// standard output and error, and says what went wrong in the owner's words ("what: why").
#pragma once

#include "CommandSpec.h"
#include "Result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>

namespace rdt {

class RemoteProcess;
class SshClient;

class CollectedCommand : public QObject {
    Q_OBJECT
public:
    // Starts `spec` at once; `what` prefixes its errors ("listing runs under ~/rdt").
    CollectedCommand(SshClient *client, const CommandSpec &spec, const QString &what, QObject *parent);

    const QByteArray &output() const { return m_output; }
    const QByteArray &errorOutput() const { return m_errorOutput; }
    // After finished(): code None when the command ran to its end, whatever its exit status.
    const Error &error() const { return m_error; }
    // A parse error of the output, with what the command wrote to standard error, which
    // usually says why its output is not what was expected.
    Error withServerSaid(const Error &error) const;

    // Stops the command and deletes this later; finished() is not emitted.
    void abandon();

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    QPointer<RemoteProcess> m_process;
    QString m_what;
    QByteArray m_output;
    QByteArray m_errorOutput;
    Error m_error;
};

} // namespace rdt
