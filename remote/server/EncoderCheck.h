// The server check's two rows for RDT's conditioning: the SigLIP vision encoder folder and
// the T5 language embeddings of the dataset's instructions. One remote command finds them
// (the folders given, else ROOT/models/siglip-so400m-patch14-384 and the Hugging Face
// caches; ROOT/lang_embeddings) and has the server's rdt-trainer read them with its own
// readers (`rdt-trainer encoders`), so "ok" here means the run will load them.
#pragma once

#include "CheckItem.h"
#include "CollectedCommand.h"

#include <QObject>
#include <QPointer>

namespace rdt {

class SshClient;

struct EncoderCheckRequest {
    QString remoteRoot;       // "~/" = remote home
    QString dataset;          // remote dataset (file or folder); empty: no coverage check
    QString config;           // the run's --config; empty: RDT-1B's shapes
    QString visionEncoder;    // a SigLIP folder the user named; empty: search
    QString langEmbeddings;   // embeddings the user named; empty: search
};

struct EncoderCheckOutcome {
    QList<CheckItem> items;   // VisionEncoder, then LanguageEmbeddings
    QString visionEncoder;    // the folder the run should get, absolute; empty: none usable
    QString langEmbeddings;   // the path the run should get, absolute; empty: none usable
    QStringList missingInstructions;
    // Whether the server can produce the missing embeddings: an RDT checkout, a Python with
    // torch and transformers, a T5 folder; else why not.
    QString rdtCheckout, t5Folder, python;
    QString encodeUnavailable;
};

class EncoderCheck : public QObject {
    Q_OBJECT
public:
    explicit EncoderCheck(SshClient *client, QObject *parent = nullptr);

    void start(const EncoderCheckRequest &request);
    void cancel();

    bool isRunning() const { return m_command; }
    const EncoderCheckOutcome &outcome() const { return m_outcome; }
    const Error &error() const { return m_error; }

    static QList<QByteArray> command(const EncoderCheckRequest &request);
    // The command's output as the two items; an error when it is not the script's.
    [[nodiscard]] static Result<EncoderCheckOutcome> parse(const QByteArray &output, const QString &remoteRoot);

Q_SIGNALS:
    void finished();

private:
    void onFinished();

    SshClient *m_client;
    QPointer<CollectedCommand> m_command;
    QString m_remoteRoot;
    EncoderCheckOutcome m_outcome;
    Error m_error;
};

} // namespace rdt
