// The server check page. The probe, the copies' comparison and the free-disk query run at
// once over the one connection (each is its own channel), so the page takes as long as the
// slowest of them rather than their sum.
#include "ServerCheckPage.h"

#include "CheckListModel.h"
#include "ChecksumCache.h"
#include "CopiesCheck.h"
#include "DiskUsage.h"
#include "EncoderCheck.h"
#include "RemoteProcess.h"
#include "ServerCheck.h"
#include "SshClient.h"
#include "TrainerDeployer.h"
#include "WizardScripts.h"
#include "WizardSession.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

ServerCheckPage::ServerCheckPage(WizardSession *session, ChecksumCache *cache, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_cache(cache), m_model(new CheckListModel(this)),
      m_table(new QTableView), m_again(new QPushButton(tr("Check again"))), m_cancel(new QPushButton(tr("Cancel"))),
      m_busy(new QProgressBar), m_status(new QLabel)
{
    setTitle(tr("Server check"));
    setSubTitle(tr("GPUs, disk, the trainer, the remote folders, and whether the dataset, the model and the "
                   "statistics on the server match your copies."));

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(CheckListModel::StatusColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CheckListModel::CheckColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(CheckListModel::DetailColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(CheckListModel::HintColumn, QHeaderView::Interactive);
    m_table->setColumnWidth(CheckListModel::HintColumn, 300);

    m_busy->setRange(0, 0);   // how long the probe takes is unknown: a busy bar
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    m_cancel->setEnabled(false);
    m_status->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_again);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_busy);
    buttons->addWidget(m_status, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(m_again, &QPushButton::clicked, this, &ServerCheckPage::checkAgain);
    connect(m_cancel, &QPushButton::clicked, this, &ServerCheckPage::cancel);
}

ServerCheckPage::~ServerCheckPage()
{
    // A deploy still running is cancelled by its destructor (ending the remote build);
    // its finished() must not reach this half-destroyed page.
    if (m_deployer)
        disconnect(m_deployer.get(), nullptr, this, nullptr);
}

void ServerCheckPage::initializePage()
{
    checkAgain();
}

bool ServerCheckPage::isComplete() const
{
    return m_checked && !isChecking() && !m_fix && !m_deployer;
}

bool ServerCheckPage::isChecking() const
{
    return m_partsLeft > 0;
}

void ServerCheckPage::checkAgain()
{
    SshClient *client = m_session->client();
    if (!client || !client->isConnected()) {
        setBusy(false, tr("Not connected: go back to the connection page"));
        return;
    }
    cancel();
    m_checked = false;
    clearFixButtons();
    m_model->clear();
    const LocalCopies copies = m_session->copies();
    const QString root = m_session->profile.remoteRoot;

    m_partsLeft = 2;
    m_check = std::make_unique<ServerCheck>(client);
    connect(m_check.get(), &ServerCheck::finished, this, &ServerCheckPage::partFinished);
    ServerProbeExpectations expectations;
    expectations.gpusExpected = !m_session->cpuOnlyServer;
    m_check->start(root, copies.localModel.isEmpty() ? QString() : copies.remoteModel, expectations);

    m_copies.reset();
    if (!copies.localDataset.isEmpty() || !copies.localModel.isEmpty()) {
        ++m_partsLeft;
        m_copies = std::make_unique<CopiesCheck>(client, m_cache);
        connect(m_copies.get(), &CopiesCheck::finished, this, &ServerCheckPage::partFinished);
        m_copies->start(copies);
    }

    ++m_partsLeft;
    m_encoders = std::make_unique<EncoderCheck>(client);
    connect(m_encoders.get(), &EncoderCheck::finished, this, &ServerCheckPage::partFinished);
    EncoderCheckRequest encoders;
    encoders.remoteRoot = root;
    encoders.dataset = copies.localDataset.isEmpty() ? QString() : copies.remoteDataset;
    encoders.config = copies.localModel.isEmpty() ? QString() : copies.remoteModel + QStringLiteral("/config.json");
    m_encoders->start(encoders);

    m_diskOutput.clear();
    CommandSpec spec;
    spec.argv = wizardscripts::shArgv(wizardscripts::kFreeDisk, {root});
    spec.timeoutMs = 30000;
    m_disk = client->start(spec);
    connect(m_disk, &RemoteProcess::standardOutput, this, [this](const QByteArray &data) { m_diskOutput += data; });
    connect(m_disk, &RemoteProcess::finished, this, [this] {
        Result<DiskUsage> usage = DiskUsage::parseDfPk(m_diskOutput);
        m_session->freeDiskBytes = usage ? usage->availableBytes : -1;
        m_disk->deleteLater();
        partFinished();
    });
    setBusy(true, tr("Checking %1 under %2…").arg(client->route().target.displayName(), root));
    Q_EMIT completeChanged();
}

void ServerCheckPage::cancel()
{
    if (m_fix) {
        disconnect(m_fix, nullptr, this, nullptr);
        m_fix->cancel();
        m_fix = nullptr;
        setBusy(false, tr("Fix cancelled"));
        Q_EMIT completeChanged();
    }
    if (m_deployer) {
        // Cancelling ends the build on the server too; finished() reports it.
        m_deployer->cancel();
    }
    if (!isChecking())
        return;
    m_partsLeft = 0;
    if (m_check) {
        disconnect(m_check.get(), nullptr, this, nullptr);
        m_check->cancel();
    }
    if (m_copies) {
        disconnect(m_copies.get(), nullptr, this, nullptr);
        m_copies->cancel();
    }
    if (m_encoders) {
        disconnect(m_encoders.get(), nullptr, this, nullptr);
        m_encoders->cancel();
    }
    if (m_disk) {
        disconnect(m_disk, nullptr, this, nullptr);
        m_disk->cancel();
    }
    setBusy(false, tr("Check cancelled"));
    Q_EMIT completeChanged();
}

void ServerCheckPage::partFinished()
{
    if (--m_partsLeft > 0)
        return;
    if (m_check->error().code != ErrorCode::None) {
        setBusy(false, m_check->error().message);
        m_status->setStyleSheet(QStringLiteral("color: #a40000;"));
        Q_EMIT completeChanged();
        return;
    }
    QList<CheckItem> items = m_check->items();
    if (m_copies)
        items += m_copies->items();
    // The encoder rows are advice about the run's conditioning: an error of their own
    // command becomes one row rather than failing the whole check.
    const EncoderCheckOutcome &encoders = m_encoders->outcome();
    if (m_encoders->error().code != ErrorCode::None)
        items.append(CheckItem{CheckId::VisionEncoder, tr("Encoders (SigLIP, T5)"), CheckStatus::Warning, m_encoders->error().message, {}, {}});
    items += encoders.items;
    m_session->visionEncoder = encoders.visionEncoder;
    m_session->langEmbeddings = encoders.langEmbeddings;
    m_session->checkItems = items;
    m_session->trainerPath.clear();
    for (const CheckItem &item : items)
        // ServerProbe writes a found trainer's detail as "PATH, version V[, ...]".
        if (item.id == CheckId::Trainer && item.status != CheckStatus::Failed && item.detail.startsWith(QLatin1Char('/')))
            m_session->trainerPath = item.detail.section(QStringLiteral(", "), 0, 0);
    m_checked = true;
    showItems();
    const CheckStatus worst = CheckItem::worstStatus(items);
    setBusy(false, worst == CheckStatus::Ok ? tr("Everything is ready.")
                   : worst == CheckStatus::Warning ? tr("Ready, with warnings.")
                                                   : tr("Some checks failed: fix them here or on the next page."));
    Q_EMIT checkFinished();
    Q_EMIT completeChanged();
}

// The model puts one row per item and then one per GPU under it; the Fix buttons go in the
// hint column of the item's own row.
void ServerCheckPage::showItems()
{
    clearFixButtons();
    m_model->setItems(m_session->checkItems);
    int row = 0;
    for (const CheckItem &item : m_session->checkItems) {
        const Fix fix = item.status == CheckStatus::Ok ? Fix::None : fixFor(item);
        if (fix != Fix::None) {
            auto *button = new QPushButton(fixLabel(fix));
            button->setToolTip(item.hint);
            connect(button, &QPushButton::clicked, this, [this, fix] { applyFix(fix); });
            m_table->setIndexWidget(m_model->index(row, CheckListModel::HintColumn), button);
        }
        row += 1 + int(item.gpus.size());
    }
}

// A model reset leaves the view's index widgets in place: they go explicitly.
void ServerCheckPage::clearFixButtons()
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        m_table->setIndexWidget(m_model->index(row, CheckListModel::HintColumn), nullptr);
}

ServerCheckPage::Fix ServerCheckPage::fixFor(const CheckItem &item)
{
    switch (item.id) {
    case CheckId::RootFolders: return Fix::MakeFolders;
    case CheckId::DatasetChecksum: return Fix::UploadDataset;
    case CheckId::PretrainedModel:
    case CheckId::ModelChecksum: return Fix::UploadModel;
    case CheckId::DatasetStatistics: return Fix::ComputeStatistics;
    case CheckId::Trainer:
        // ServerProbe's wording: "rdt-trainer is not in ..." when there is none; "...; this
        // workbench is V" or "... reports no version" for another version; a failed
        // `info --json` when it does not run. A CPU-only LibTorch on a GPU server needs
        // another LibTorch, which a rebuild from the same version would not change.
        if (item.status == CheckStatus::Failed)
            return item.detail.startsWith(QLatin1String("rdt-trainer is not in")) ? Fix::InstallTrainer : Fix::UpdateTrainer;
        if (item.detail.contains(QLatin1String("; this workbench is")) || item.detail.contains(QLatin1String("reports no version")))
            return Fix::UpdateTrainer;
        return Fix::None;
    default: return Fix::None;
    }
}

QString ServerCheckPage::fixLabel(Fix fix)
{
    switch (fix) {
    case Fix::MakeFolders: return tr("Fix: create folders");
    case Fix::UploadDataset: return tr("Fix: upload dataset");
    case Fix::UploadModel: return tr("Fix: upload model");
    case Fix::ComputeStatistics: return tr("Fix: compute statistics");
    case Fix::InstallTrainer: return tr("Fix: install trainer");
    case Fix::UpdateTrainer: return tr("Fix: update trainer");
    case Fix::None: break;
    }
    return {};
}

void ServerCheckPage::applyFix(Fix fix)
{
    const LocalCopies copies = m_session->copies();
    switch (fix) {
    case Fix::MakeFolders:
        runFixCommand(wizardscripts::shArgv(wizardscripts::kMakeFolders, {m_session->profile.remoteRoot}),
                      tr("Creating the folders under %1").arg(m_session->profile.remoteRoot));
        break;
    case Fix::ComputeStatistics:
        runFixCommand(wizardscripts::shArgv(wizardscripts::kComputeStatistics,
                                            {m_session->profile.remoteRoot, copies.remoteDataset, copies.remoteStatistics}),
                      tr("Computing the statistics of %1 on the server").arg(copies.remoteDataset));
        break;
    case Fix::UploadDataset: Q_EMIT uploadRequested(true, false); break;
    case Fix::UploadModel: Q_EMIT uploadRequested(false, true); break;
    case Fix::InstallTrainer:
    case Fix::UpdateTrainer: deployTrainer(); break;
    case Fix::None: break;
    }
}

void ServerCheckPage::runFixCommand(const QList<QByteArray> &argv, const QString &what)
{
    SshClient *client = m_session->client();
    if (!client || !client->isConnected() || m_fix)
        return;
    CommandSpec spec;
    spec.argv = argv;
    m_fixErrors.clear();
    m_fix = client->start(spec);
    connect(m_fix, &RemoteProcess::standardError, this, [this](const QByteArray &data) { m_fixErrors += data; });
    connect(m_fix, &RemoteProcess::finished, this, [this, what] {
        const bool ok = m_fix->error().code == ErrorCode::None && m_fix->exitStatus() == 0;
        const QString reason = m_fix->error().code != ErrorCode::None ? m_fix->error().message
                                                                      : QString::fromUtf8(m_fixErrors).trimmed();
        m_fix->deleteLater();
        m_fix = nullptr;
        if (!ok) {
            setBusy(false, tr("%1 failed: %2").arg(what, reason));
            m_status->setStyleSheet(QStringLiteral("color: #a40000;"));
            Q_EMIT completeChanged();
            return;
        }
        checkAgain();
    });
    setBusy(true, what + QStringLiteral("…"));
    Q_EMIT completeChanged();   // the checklist is out of date until the check after the fix
}

// The deployer works over the session's connection (its SSH work on the connection's
// thread, the archive written on a pool thread); here only its signals arrive.
void ServerCheckPage::deployTrainer()
{
    SshClient *client = m_session->client();
    if (!client || !client->isConnected() || m_fix || m_deployer)
        return;
    m_deployer = std::make_unique<TrainerDeployer>(client);
    connect(m_deployer.get(), &TrainerDeployer::progress, this, &ServerCheckPage::showDeployProgress);
    connect(m_deployer.get(), &TrainerDeployer::finished, this, &ServerCheckPage::deployFinished);
    DeployRequest request;
    request.remoteRoot = m_session->profile.remoteRoot;
    request.libtorchFolder = m_session->profile.libtorchFolder;
    setBusy(true, tr("Installing rdt-trainer on the server…"));
    Q_EMIT completeChanged();
    m_deployer->start(request);
}

void ServerCheckPage::showDeployProgress(const DeployProgress &progress)
{
    if (progress.total > 0) {
        m_busy->setRange(0, progress.total);
        m_busy->setValue(progress.done);
    } else {
        m_busy->setRange(0, 0);
    }
    const QString stage = DeployProgress::stageName(progress.stage);
    m_status->setText(progress.detail.isEmpty() ? tr("Trainer: %1…").arg(stage)
                                                : tr("Trainer: %1 — %2").arg(stage, progress.detail));
}

void ServerCheckPage::deployFinished()
{
    const Error error = m_deployer->error();
    const DeployOutcome outcome = m_deployer->outcome();
    m_deployer.release()->deleteLater();   // finished() is still being emitted by it
    m_busy->setRange(0, 0);
    if (error.code != ErrorCode::None) {
        setBusy(false, error.code == ErrorCode::Cancelled ? tr("Trainer installation cancelled")
                                                          : tr("Installing the trainer failed: %1").arg(error.message));
        if (error.code != ErrorCode::Cancelled)
            m_status->setStyleSheet(QStringLiteral("color: #a40000;"));
        Q_EMIT completeChanged();
        return;
    }
    checkAgain();
    m_status->setText(outcome.upToDate
                          ? tr("rdt-trainer %1 was already up to date at %2; checking again…").arg(outcome.version, outcome.trainerPath)
                          : tr("Installed rdt-trainer %1 at %2; checking again…").arg(outcome.version, outcome.trainerPath));
}

void ServerCheckPage::setBusy(bool busy, const QString &text)
{
    m_busy->setVisible(busy);
    m_cancel->setEnabled(busy);
    m_again->setEnabled(!busy);
    m_status->setStyleSheet(QString());
    if (!text.isEmpty())
        m_status->setText(text);
}

} // namespace rdt
