// Bounded waits over SshClient's signals, for the sshd_* tests.
#include "support_ssh_session.h"

#include "RemoteProcess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

Connected connectRoute(const rdt::SshRoute &route, const rdt::SshQuestions &questions, int waitMs)
{
    Connected result;
    auto client = std::make_unique<rdt::SshClient>(questions);
    QEventLoop loop;
    bool ok = false;
    bool done = false;
    QObject::connect(client.get(), &rdt::SshClient::connected, &loop, [&] {
        ok = done = true;
        loop.quit();
    });
    QObject::connect(client.get(), &rdt::SshClient::connectFailed, &loop, [&](const rdt::Error &error) {
        result.error = error;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    client->connectToHost(route);
    loop.exec();
    result.elapsedMs = timer.elapsed();
    if (!done)
        result.error = rdt::makeError(rdt::ErrorCode::Timeout, QStringLiteral("test: no answer within %1 ms").arg(waitMs));
    if (ok)
        result.client = std::move(client);
    return result;
}

CommandRun runCommand(rdt::SshClient &client, const rdt::CommandSpec &spec, int waitMs, bool keepOutput)
{
    CommandRun run;
    QEventLoop loop;
    QElapsedTimer timer;
    timer.start();
    rdt::RemoteProcess *process = client.start(spec);
    QObject::connect(process, &rdt::RemoteProcess::standardOutput, &loop, [&](const QByteArray &data) {
        run.bytesOut += data.size();
        if (keepOutput)
            run.out += data;
    });
    QObject::connect(process, &rdt::RemoteProcess::standardError, &loop,
                     [&](const QByteArray &data) { run.err += data; });
    QObject::connect(process, &rdt::RemoteProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    loop.exec();
    run.elapsedMs = timer.elapsed();
    run.finished = !process->isRunning();
    run.exitStatus = process->exitStatus();
    run.error = process->error();
    if (!run.finished)
        process->cancel();
    else
        delete process;
    return run;
}

rdt::CommandSpec commandOf(std::initializer_list<const char *> argv)
{
    rdt::CommandSpec spec;
    for (const char *argument : argv)
        spec.argv.append(QByteArray(argument));
    return spec;
}
