// Buttons of the host profile list, the edit dialog loop, and the pick list of ssh_config
// suggestions. Errors go to a line under the list rather than a message box, so a refused
// action never hides the list it refers to.
#include "HostProfilesPanel.h"

#include "HostProfileDialog.h"
#include "HostProfileListModel.h"
#include "HostProfileStore.h"
#include "SshConfig.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

namespace {

// The table look shared by the list and the suggestion picker.
void setUpTable(QTableView *view, QAbstractItemModel *model)
{
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    // Paths differ at their ends (…/alice/RoboticsDiffusionTransformer), so cut the middle.
    view->setTextElideMode(Qt::ElideMiddle);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
}

} // namespace

HostProfilesPanel::HostProfilesPanel(std::unique_ptr<HostProfileStore> store, QWidget *parent)
    : QWidget(parent), m_store(std::move(store)), m_model(new HostProfileListModel(this)),
      m_view(new QTableView), m_new(new QPushButton(tr("New…"))),
      m_fromConfig(new QPushButton(tr("From ~/.ssh/config…"))), m_edit(new QPushButton(tr("Edit…"))),
      m_duplicate(new QPushButton(tr("Duplicate"))), m_delete(new QPushButton(tr("Delete"))),
      m_use(new QPushButton(tr("Use"))), m_status(new QLabel)
{
    Q_ASSERT(m_store);
    setUpTable(m_view, m_model);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_use->setDefault(true);
    m_use->setToolTip(tr("Fill the connection form with this profile"));
    m_fromConfig->setToolTip(tr("Make profiles from the Host aliases of ~/.ssh/config"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {m_new, m_fromConfig, m_edit, m_duplicate, m_delete})
        buttons->addWidget(button);
    buttons->addStretch();
    buttons->addWidget(m_use);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_new, &QPushButton::clicked, this, &HostProfilesPanel::newProfile);
    connect(m_fromConfig, &QPushButton::clicked, this, &HostProfilesPanel::addFromSshConfig);
    connect(m_edit, &QPushButton::clicked, this, &HostProfilesPanel::editCurrent);
    connect(m_duplicate, &QPushButton::clicked, this, &HostProfilesPanel::duplicateCurrent);
    connect(m_delete, &QPushButton::clicked, this, &HostProfilesPanel::deleteCurrent);
    connect(m_use, &QPushButton::clicked, this, &HostProfilesPanel::useCurrent);
    connect(m_view, &QTableView::doubleClicked, this, &HostProfilesPanel::useCurrent);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HostProfilesPanel::updateButtons);

    if (Result<void> loaded = m_store->load(); !loaded)
        showStatus(loaded.error().message, true);
    refresh(QString());
    if (m_store->profiles().isEmpty() && statusText().isEmpty())
        showStatus(tr("No host profiles yet: press New… or pick from ~/.ssh/config."));
}

HostProfilesPanel::~HostProfilesPanel() = default;

QString HostProfilesPanel::currentName() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const HostProfile *profile = m_model->profileAt(rows.first().row());
    return profile ? profile->name : QString();
}

void HostProfilesPanel::selectProfile(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0) {
        m_view->clearSelection();
    } else {
        m_view->selectRow(row);
        m_view->scrollTo(m_model->index(row, 0));
    }
    updateButtons();
}

QString HostProfilesPanel::statusText() const { return m_status->text(); }

void HostProfilesPanel::newProfile()
{
    HostProfile start;
    if (editInDialog(start, QString(), tr("New host profile")))
        showStatus(tr("Saved host profile '%1'").arg(currentName()));
}

void HostProfilesPanel::addFromSshConfig()
{
    const Result<SshConfig> config = SshConfig::load(m_sshConfigFile);
    if (!config) {
        showStatus(config.error().message, true);
        return;
    }
    const QString file = m_sshConfigFile.isEmpty() ? tr("~/.ssh/config") : m_sshConfigFile;
    QList<HostProfile> suggestions;
    for (const HostProfile &profile : HostProfileStore::fromSshConfigAliases(config.value()))
        if (!m_store->contains(profile.name))
            suggestions.append(profile);
    if (suggestions.isEmpty()) {
        showStatus(tr("%1 has no Host alias that is not a profile already").arg(file));
        return;
    }

    // A pick list rather than one dialog per alias: a lab's config often names a dozen hosts.
    QDialog picker(this);
    picker.setObjectName(QStringLiteral("sshConfigSuggestions"));
    picker.setWindowTitle(tr("Host profiles from %1").arg(file));
    HostProfileListModel suggestionModel;
    suggestionModel.setProfiles(suggestions);
    auto *table = new QTableView;
    setUpTable(table, &suggestionModel);
    table->setSelectionMode(QAbstractItemView::MultiSelection);
    // Name is the alias and the remote root the default for every suggestion: noise here.
    table->hideColumn(HostProfileListModel::NameColumn);
    table->hideColumn(HostProfileListModel::RemoteRootColumn);
    table->horizontalHeader()->setSectionResizeMode(HostProfileListModel::HostColumn, QHeaderView::Interactive);
    table->setColumnWidth(HostProfileListModel::HostColumn, 200);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QPushButton *add = box->button(QDialogButtonBox::Ok);
    add->setText(tr("Add selected"));
    add->setEnabled(false);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, add,
            [add, table] { add->setEnabled(table->selectionModel()->hasSelection()); });
    auto *layout = new QVBoxLayout(&picker);
    layout->addWidget(new QLabel(tr("Pick the hosts to keep as profiles; the jump hosts come from "
                                    "their ProxyJump.")));
    layout->addWidget(table);
    layout->addWidget(box);
    connect(box, &QDialogButtonBox::accepted, &picker, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, &picker, &QDialog::reject);
    picker.resize(640, 360);
    if (picker.exec() != QDialog::Accepted)
        return;

    QStringList added;
    QStringList failures;
    for (const QModelIndex &row : table->selectionModel()->selectedRows()) {
        const HostProfile *profile = suggestionModel.profileAt(row.row());
        if (Result<void> saved = m_store->save(*profile); saved)
            added.append(profile->name);
        else
            failures.append(saved.error().message);
    }
    refresh(added.isEmpty() ? currentName() : added.last());
    if (!failures.isEmpty())
        showStatus(failures.join(QLatin1Char('\n')), true);
    else if (added.isEmpty())
        showStatus(tr("No host was selected"));
    else
        showStatus(tr("Added from %1: %2").arg(file, added.join(QStringLiteral(", "))));
}

void HostProfilesPanel::editCurrent()
{
    const QString name = currentName();
    const HostProfile *profile = m_store->find(name);
    if (!profile) {
        showStatus(tr("Select a profile to edit"), true);
        return;
    }
    if (editInDialog(*profile, name, tr("Edit host profile '%1'").arg(name)))
        showStatus(tr("Saved host profile '%1'").arg(currentName()));
}

void HostProfilesPanel::duplicateCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        showStatus(tr("Select a profile to duplicate"), true);
        return;
    }
    const Result<HostProfile> copy = m_store->duplicate(name);
    if (!copy) {
        showStatus(copy.error().message, true);
        return;
    }
    refresh(copy->name);
    showStatus(tr("Duplicated '%1' as '%2'").arg(name, copy->name));
}

void HostProfilesPanel::deleteCurrent()
{
    const QString name = currentName();
    if (name.isEmpty()) {
        showStatus(tr("Select a profile to delete"), true);
        return;
    }
    QMessageBox confirm(QMessageBox::Question, tr("Delete host profile"),
                        tr("Delete the host profile '%1'? The server and its files are not touched.").arg(name),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm.setObjectName(QStringLiteral("confirmDelete"));
    confirm.setDefaultButton(QMessageBox::Cancel);
    if (confirm.exec() != QMessageBox::Yes)
        return;
    const int row = m_model->rowOf(name);
    if (Result<void> removed = m_store->remove(name); !removed) {
        showStatus(removed.error().message, true);
        return;
    }
    // Keep the selection near where it was, so several deletions need no re-aiming.
    const QList<HostProfile> remaining = m_store->profiles();
    refresh(remaining.isEmpty() ? QString() : remaining.at(std::min<int>(row, int(remaining.size()) - 1)).name);
    showStatus(tr("Deleted host profile '%1'").arg(name));
}

void HostProfilesPanel::useCurrent()
{
    const HostProfile *profile = m_store->find(currentName());
    if (!profile) {
        showStatus(tr("Select a profile to use"), true);
        return;
    }
    const HostProfile chosen = *profile;  // the signal's receivers may change the store
    showStatus(tr("Using host profile '%1'").arg(chosen.name));
    Q_EMIT profileActivated(chosen);
}

bool HostProfilesPanel::editInDialog(const HostProfile &start, const QString &previousName,
                                     const QString &title)
{
    HostProfileDialog dialog(start, this);
    dialog.setWindowTitle(title);
    // The dialog stays up, with what the user typed, until the store takes it: a taken name
    // is only known here.
    while (dialog.exec() == QDialog::Accepted) {
        const HostProfile edited = dialog.profile();
        const Result<void> saved = m_store->save(edited, previousName);
        if (saved) {
            refresh(edited.name);
            return true;
        }
        dialog.setError(saved.error().message);
    }
    return false;
}

void HostProfilesPanel::refresh(const QString &selectName)
{
    m_model->setProfiles(m_store->profiles());
    selectProfile(selectName);
}

void HostProfilesPanel::showStatus(const QString &message, bool isError)
{
    m_status->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
    m_status->setText(message);
}

void HostProfilesPanel::updateButtons()
{
    const bool selected = !currentName().isEmpty();
    m_edit->setEnabled(selected);
    m_duplicate->setEnabled(selected);
    m_delete->setEnabled(selected);
    m_use->setEnabled(selected);
}

} // namespace rdt
