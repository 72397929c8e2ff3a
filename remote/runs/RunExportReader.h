// Reads what the exports need of one run folder on the server: metrics.jsonl (for the
// metrics CSV) and the run's configuration (RunConfiguration: the launcher's notes under
// .rdt/, run.yaml, and the MD5s of the dataset and model files the flags name, through
// RemoteChecksums and its server cache, so a 2.3 GB model is not hashed twice).
// Used by `rdtctl export` and by the dashboard's configuration export.
#pragma once

#include "MetricsEvent.h"
#include "Result.h"
#include "RunConfiguration.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace rdt {

class CollectedCommand;
class RemoteChecksums;
class SshClient;

class RunExportReader : public QObject {
    Q_OBJECT
public:
    enum Part { Metrics = 0x1, Configuration = 0x2 };

    explicit RunExportReader(SshClient *client, QObject *parent = nullptr);
    ~RunExportReader() override;

    // `host` only names the server in the configuration text and in errors.
    void start(const QString &host, const QString &remoteRoot, const QString &runName, int parts);

    // After finished(): code None on success.
    const Error &error() const { return m_error; }
    const MetricsEventList &metrics() const { return m_metrics; }
    QByteArray metricsCsv() const;
    const RunConfiguration &configuration() const { return m_configuration; }

    // The server's answer, split into its files; exposed for the unit test of the format.
    [[nodiscard]] static Result<QHash<QByteArray, QByteArray>> parseFiles(const QByteArray &answer, const QString &what);

Q_SIGNALS:
    void finished();

private:
    void onFilesRead();
    void hashNext();
    void onHashed();
    void finish(const Error &error = {});

    QPointer<SshClient> m_client;
    QPointer<CollectedCommand> m_command;
    QPointer<RemoteChecksums> m_checksums;
    QString m_what;
    int m_parts = 0;
    bool m_hashingModel = false;   // the dataset is hashed first, then the model
    Error m_error;
    MetricsEventList m_metrics;
    RunConfiguration m_configuration;
};

} // namespace rdt
