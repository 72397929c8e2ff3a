// The data and model page.
#include "DataModelPage.h"

#include "ComparisonTableModel.h"
#include "CopiesUploader.h"
#include "RemotePathBrowseButton.h"
#include "StatisticsRecompute.h"
#include "SshClient.h"
#include "WizardSession.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

namespace {

QHBoxLayout *withBrowse(QLineEdit *edit, QPushButton *browse)
{
    auto *row = new QHBoxLayout;
    row->addWidget(edit);
    row->addWidget(browse);
    return row;
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("…");
    const qint64 s = qint64(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
         : s >= 60   ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : QStringLiteral("%1 s").arg(s);
}

} // namespace

DataModelPage::DataModelPage(WizardSession *session, ChecksumCache *cache, QWidget *parent)
    : QWizardPage(parent), m_session(session), m_cache(cache), m_model(new ComparisonTableModel(this)),
      m_localDataset(new QLineEdit), m_localModel(new QLineEdit), m_remoteDataset(new QLineEdit),
      m_remoteModel(new QLineEdit), m_table(new QTableView), m_statistics(new QLabel),
      m_compare(new QPushButton(tr("Compare"))), m_upload(new QPushButton(tr("Upload what differs"))),
      m_cancel(new QPushButton(tr("Cancel"))), m_fileBar(new QProgressBar), m_totalBar(new QProgressBar),
      m_fileLabel(new QLabel), m_totalLabel(new QLabel), m_status(new QLabel)
{
    setTitle(tr("Data and model"));
    setSubTitle(tr("Your LIBERO dataset and pretrained model, and their copies on the server, compared by MD5. "
                   "Only what differs is uploaded; an interrupted upload resumes where it stopped."));

    auto *browseDataset = new QPushButton(tr("Browse…"));
    auto *browseModel = new QPushButton(tr("Browse…"));
    connect(browseDataset, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("LIBERO dataset"), m_localDataset->text(),
                                                          tr("HDF5 files (*.hdf5 *.h5);;All files (*)"));
        if (!file.isEmpty())
            m_localDataset->setText(file);
    });
    connect(browseModel, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Pretrained model folder"), m_localModel->text());
        if (!folder.isEmpty())
            m_localModel->setText(folder);
    });
    m_remoteDataset->setPlaceholderText(tr("ROOT/datasets/<file name>"));
    m_remoteModel->setPlaceholderText(tr("ROOT/checkpoints/<folder name>"));

    auto *form = new QFormLayout;
    form->addRow(tr("Local dataset:"), withBrowse(m_localDataset, browseDataset));
    const auto client = [this] { return m_session->client(); };
    form->addRow(tr("On the server:"), RemotePathBrowseButton::row(m_remoteDataset, client, this));
    form->addRow(tr("Local pretrained model:"), withBrowse(m_localModel, browseModel));
    form->addRow(tr("On the server:"), RemotePathBrowseButton::row(m_remoteModel, client, this));

    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ComparisonTableModel::FileColumn, QHeaderView::Stretch);
    m_statistics->setWordWrap(true);
    m_statistics->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_compare);
    buttons->addWidget(m_upload);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_status, 1);
    m_status->setWordWrap(true);

    auto *progress = new QFormLayout;
    progress->addRow(m_fileLabel, m_fileBar);
    progress->addRow(m_totalLabel, m_totalBar);
    m_fileLabel->setText(tr("File:"));
    m_totalLabel->setText(tr("Total:"));
    m_fileLabel->setMinimumWidth(280);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_statistics);
    m_recompute = new StatisticsRecompute(session, this);
    connect(m_recompute, &StatisticsRecompute::recomputed, this, &DataModelPage::compare);
    layout->addWidget(m_recompute);
    layout->addLayout(buttons);
    layout->addLayout(progress);

    m_upload->setEnabled(false);
    m_cancel->setEnabled(false);
    connect(m_compare, &QPushButton::clicked, this, &DataModelPage::compare);
    connect(m_upload, &QPushButton::clicked, this, [this] { upload(); });
    connect(m_cancel, &QPushButton::clicked, this, &DataModelPage::cancel);
}

DataModelPage::~DataModelPage() = default;

void DataModelPage::initializePage()
{
    m_localDataset->setText(m_session->profile.localDatasetPath);
    m_localModel->setText(m_session->profile.localModelPath);
    m_remoteDataset->setText(m_session->remoteDataset);
    m_remoteModel->setText(m_session->remoteModel);
    if (!m_localDataset->text().isEmpty() || !m_localModel->text().isEmpty())
        compare();
}

void DataModelPage::readForm()
{
    m_session->profile.localDatasetPath = m_localDataset->text().trimmed();
    m_session->profile.localModelPath = m_localModel->text().trimmed();
    m_session->remoteDataset = m_remoteDataset->text().trimmed();
    m_session->remoteModel = m_remoteModel->text().trimmed();
}

QList<CopyPart> DataModelPage::parts() const
{
    const LocalCopies copies = m_session->copies();
    QList<CopyPart> parts;
    if (!copies.localDataset.isEmpty())
        parts << CopyPart{QStringLiteral("dataset"), copies.localDataset, copies.remoteDataset};
    if (!copies.localModel.isEmpty())
        parts << CopyPart{QStringLiteral("model"), copies.localModel, copies.remoteModel};
    return parts;
}

void DataModelPage::compare()
{
    SshClient *client = m_session->client();
    if (!client || !client->isConnected()) {
        setBusy(false, tr("Not connected: go back to the connection page"));
        return;
    }
    readForm();
    const QList<CopyPart> copyParts = parts();
    if (copyParts.isEmpty()) {
        setBusy(false, tr("Choose a local dataset or model first"));
        return;
    }
    // A new connection (back to page 1 and connected again) needs a new uploader.
    if (!m_uploader || m_uploaderClient != client) {
        delete m_uploader;
        m_uploaderClient = client;
        m_uploader = new CopiesUploader(client, m_cache, this);
        connect(m_uploader, &CopiesUploader::compared, this, &DataModelPage::showComparison);
        connect(m_uploader, &CopiesUploader::uploadProgress, this, &DataModelPage::showProgress);
        connect(m_uploader, &CopiesUploader::uploadFinished, this, [this] {
            const Error error = m_uploader->error();
            if (error.code != ErrorCode::None) {
                setBusy(false, error.code == ErrorCode::Cancelled
                                   ? tr("Upload cancelled; Upload again resumes where it stopped")
                                   : error.message);
                Q_EMIT uploadFinished(false);
                return;
            }
            setBusy(false, tr("Uploaded and verified"));
            Q_EMIT uploadFinished(true);
            compare();   // the table then shows everything the same
        });
    }
    m_compared = false;
    m_statistics->clear();
    setBusy(true, tr("Computing checksums on both sides…"));
    m_uploader->compare(copyParts, m_session->copies().remoteStatistics);
    Q_EMIT completeChanged();
}

void DataModelPage::showComparison()
{
    const Error error = m_uploader->error();
    m_model->clear();
    for (const CopyPart &part : parts())
        m_model->setPart(part.name, m_uploader->comparison(part.name));
    if (error.code != ErrorCode::None) {
        setBusy(false, error.message);
        m_uploadPending = false;
        return;
    }
    m_compared = true;
    m_statistics->setText(m_uploader->statisticsVerdict());
    m_recompute->setVerdict(m_statistics->text());
    const qint64 bytes = m_uploader->bytesToSend();
    setBusy(false, bytes > 0 ? tr("%1 to upload").arg(QLocale().formattedDataSize(bytes))
                             : tr("The server's copies are the same as yours"));
    Q_EMIT completeChanged();
    if (m_uploadPending) {
        m_uploadPending = false;
        upload(m_pendingUpload);
    }
}

void DataModelPage::upload(const QStringList &partNames)
{
    if (!m_compared || !m_uploader) {
        m_uploadPending = true;
        m_pendingUpload = partNames;
        if (!isBusy())
            compare();
        return;
    }
    if (m_uploader->bytesToSend(partNames) == 0) {
        setBusy(false, tr("Nothing to upload: the server's copies are the same as yours"));
        Q_EMIT uploadFinished(true);
        return;
    }
    m_fileBar->setValue(0);
    m_totalBar->setValue(0);
    setBusy(true, tr("Uploading…"));
    Q_EMIT uploadStarted();
    m_uploader->upload(partNames);
}

void DataModelPage::showProgress(const QString &file, double fileFraction, const TransferProgress &total)
{
    m_fileBar->setValue(int(fileFraction * 1000));
    m_totalBar->setValue(int(total.fraction() * 1000));
    m_fileLabel->setText(tr("File: %1").arg(file));
    const QLocale locale;
    m_totalLabel->setText(tr("Total: %1 of %2, %3/s, %4 left")
                              .arg(locale.formattedDataSize(total.bytesDone), locale.formattedDataSize(total.bytesTotal),
                                   locale.formattedDataSize(qint64(total.bytesPerSecond)), durationText(total.secondsLeft)));
}

void DataModelPage::cancel()
{
    m_uploadPending = false;
    if (m_uploader)
        m_uploader->cancel();
}

bool DataModelPage::isBusy() const
{
    return m_uploader && m_uploader->isBusy();
}

QString DataModelPage::statisticsText() const
{
    return m_statistics->text();
}

void DataModelPage::setBusy(bool busy, const QString &text)
{
    m_compare->setEnabled(!busy);
    m_upload->setEnabled(!busy && m_compared && m_uploader && m_uploader->bytesToSend() > 0);
    m_cancel->setEnabled(busy);
    m_fileBar->setRange(0, 1000);
    m_totalBar->setRange(0, 1000);
    m_status->setText(text);
}

bool DataModelPage::isComplete() const
{
    return !isBusy();
}

bool DataModelPage::validatePage()
{
    readForm();
    return !isBusy();
}

} // namespace rdt
