// Page 2 of the setup wizard: the server checklist (the probe, then the dataset, model and
// statistics against the local copies) as a table with ok / warning / failed icons, the
// detail, and a Fix button on the rows that have one; "Check again" re-runs it.
#pragma once

#include "CheckItem.h"

#include <QPointer>
#include <QWizardPage>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace rdt {

class CheckListModel;
class ChecksumCache;
class CopiesCheck;
class EncoderCheck;
class RemoteProcess;
class ServerCheck;
class TrainerDeployer;
class WizardSession;
struct DeployProgress;

class ServerCheckPage : public QWizardPage {
    Q_OBJECT
public:
    ServerCheckPage(WizardSession *session, ChecksumCache *cache, QWidget *parent = nullptr);
    ~ServerCheckPage() override;

    void initializePage() override;
    bool isComplete() const override;

    void checkAgain();
    void cancel();
    bool isChecking() const;
    CheckListModel *model() const { return m_model; }

Q_SIGNALS:
    // A Fix that is an upload: the wizard moves to the data page and starts it there.
    void uploadRequested(bool dataset, bool model);
    void checkFinished();

private:
    enum class Fix { None, MakeFolders, UploadDataset, UploadModel, ComputeStatistics, InstallTrainer, UpdateTrainer };
    static Fix fixFor(const CheckItem &item);
    static QString fixLabel(Fix fix);

    void partFinished();
    void showItems();
    void clearFixButtons();
    void applyFix(Fix fix);
    void runFixCommand(const QList<QByteArray> &argv, const QString &what);
    void deployTrainer();
    void showDeployProgress(const DeployProgress &progress);
    void deployFinished();
    void setBusy(bool busy, const QString &text = {});

    WizardSession *m_session;
    ChecksumCache *m_cache;
    CheckListModel *m_model;
    QTableView *m_table;
    QPushButton *m_again;
    QPushButton *m_cancel;
    QProgressBar *m_busy;
    QLabel *m_status;
    std::unique_ptr<ServerCheck> m_check;
    std::unique_ptr<CopiesCheck> m_copies;
    std::unique_ptr<EncoderCheck> m_encoders;
    QPointer<RemoteProcess> m_disk;
    QPointer<RemoteProcess> m_fix;
    std::unique_ptr<TrainerDeployer> m_deployer;   // the Install / Update trainer fix while it runs
    QByteArray m_diskOutput;
    QByteArray m_fixErrors;
    int m_partsLeft = 0;
    bool m_checked = false;
};

} // namespace rdt
