// Page 3 of the setup wizard: the local dataset and pretrained model, where they go on the
// server, their checksums side by side, whether the statistics must be recomputed (in
// words, with the MD5s), and the upload of what differs with per-file and total progress,
// rate and time left; cancel, and resume by uploading again.
#pragma once

#include "TransferProgress.h"

#include <QPointer>
#include <QWizardPage>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace rdt {

class ChecksumCache;
class ComparisonTableModel;
class CopiesUploader;
class StatisticsRecompute;
class SshClient;
struct CopyPart;
class WizardSession;

class DataModelPage : public QWizardPage {
    Q_OBJECT
public:
    DataModelPage(WizardSession *session, ChecksumCache *cache, QWidget *parent = nullptr);
    ~DataModelPage() override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    void compare();
    // Uploads what differs in the named parts ("dataset", "model"; all when empty); compares
    // first when there is no comparison yet.
    void upload(const QStringList &parts = {});
    void cancel();
    bool isBusy() const;
    ComparisonTableModel *model() const { return m_model; }
    QString statisticsText() const;
    StatisticsRecompute *statisticsRecompute() const { return m_recompute; }   // beside the verdict

Q_SIGNALS:
    void uploadStarted();   // bytes start moving (a long upload's notification times from here)
    void uploadFinished(bool ok);

private:
    void readForm();
    void showComparison();
    void showProgress(const QString &file, double fileFraction, const TransferProgress &total);
    void setBusy(bool busy, const QString &text);
    QList<CopyPart> parts() const;

    WizardSession *m_session;
    ChecksumCache *m_cache;
    CopiesUploader *m_uploader = nullptr;
    StatisticsRecompute *m_recompute;
    QPointer<SshClient> m_uploaderClient;   // the connection m_uploader works over
    ComparisonTableModel *m_model;
    QLineEdit *m_localDataset;
    QLineEdit *m_localModel;
    QLineEdit *m_remoteDataset;
    QLineEdit *m_remoteModel;
    QTableView *m_table;
    QLabel *m_statistics;
    QPushButton *m_compare;
    QPushButton *m_upload;
    QPushButton *m_cancel;
    QProgressBar *m_fileBar;
    QProgressBar *m_totalBar;
    QLabel *m_fileLabel;
    QLabel *m_totalLabel;
    QLabel *m_status;
    QStringList m_pendingUpload;   // parts to upload once the comparison arrives
    bool m_uploadPending = false;
    bool m_compared = false;
};

} // namespace rdt
