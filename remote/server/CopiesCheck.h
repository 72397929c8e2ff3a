// The checklist items that compare the server with the workstation: the dataset and the
// pretrained model match their local copies (MD5 on both sides), and the dataset
// statistics on the server belong to the dataset there (the MD5 they record). They follow
// the probe's items in `rdtctl check` and the wizard's server check.
#pragma once

#include "CheckItem.h"
#include "FileChecksum.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace rdt {

class ChecksumCache;
class ChecksumComparer;
class RemoteProcess;
class SshClient;

struct LocalCopies {
    QString localDataset;    // empty: skip the dataset and statistics items
    QString remoteDataset;   // empty: ROOT/datasets/<name of the local dataset>
    QString localModel;      // empty: skip the model item
    QString remoteModel;     // empty: ROOT/checkpoints/<name of the local model>
    QString remoteStatistics;  // empty: ROOT/configs/dataset_stat.json (where RDT keeps it)

    // Fills the empty remote paths from the remote root.
    LocalCopies resolved(const QString &remoteRoot) const;
};

class CopiesCheck : public QObject {
    Q_OBJECT
public:
    CopiesCheck(SshClient *client, ChecksumCache *cache, QObject *parent = nullptr);
    ~CopiesCheck() override;

    void start(const LocalCopies &copies);   // already resolved
    void cancel();
    const QList<CheckItem> &items() const { return m_items; }

Q_SIGNALS:
    void finished();

private:
    void compareDataset();
    void compareModel();
    void readStatistics();
    CheckItem copyItem(CheckId id, const QString &title, const QString &local, const QString &remote) const;

    SshClient *m_client;
    ChecksumCache *m_cache;
    LocalCopies m_copies;
    std::unique_ptr<ChecksumComparer> m_comparer;
    QPointer<RemoteProcess> m_reader;
    FileChecksumList m_remoteDataset;
    bool m_datasetOnServer = false;
    QList<CheckItem> m_items;
};

} // namespace rdt
