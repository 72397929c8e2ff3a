// One level of a folder on the server, for the remote folder picker: each entry's name
// (any bytes but '/' and NUL: spaces, newlines and quotes arrive as they are), whether it is
// a folder (a link to a folder counts), its size and its modification time. One remote
// command per folder asked for, so a tree is read lazily as the user opens it; the path is
// passed as an argument, never pasted into shell text, and "~" / "~/x" mean the server
// home. Needs GNU find (-printf), as every Linux GPU server has.
#pragma once

#include "Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace rdt {

class CollectedCommand;
class SshClient;

struct RemoteFolderEntry {
    QString name;              // as the server names it
    bool isFolder = false;     // a folder, or a link to one
    bool isLink = false;
    qint64 sizeBytes = 0;
    QDateTime modified;

    bool isHidden() const { return name.startsWith(QLatin1Char('.')); }
};

struct RemoteFolderContents {
    QString path;                      // the folder, absolute, as the server resolved it
    QList<RemoteFolderEntry> entries;  // folders first, then by name
};

class RemoteFolderListing : public QObject {
    Q_OBJECT
public:
    explicit RemoteFolderListing(SshClient *client, QObject *parent = nullptr);
    ~RemoteFolderListing() override;

    // Lists `path` ("~/" = remote home; relative = under the home). Several folders may
    // be asked for at once; each answers with listed() or failed() under the path asked.
    void list(const QString &path);
    void cancelAll();
    bool isListing(const QString &path) const;

    static QList<QByteArray> command(const QString &path);
    [[nodiscard]] static Result<RemoteFolderContents> parseOutput(const QByteArray &output, const QString &what);

Q_SIGNALS:
    void listed(const QString &requested, const rdt::RemoteFolderContents &contents);
    void failed(const QString &requested, const rdt::Error &error);

private:
    void onFinished(CollectedCommand *command);

    QPointer<SshClient> m_client;
    QHash<CollectedCommand *, QString> m_pending;   // command -> the path it lists
};

} // namespace rdt

Q_DECLARE_METATYPE(rdt::RemoteFolderContents)
