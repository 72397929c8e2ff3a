// A root request that fails falls back once: to the typed path's parent folder, then to the
// home; the failure stays said in the status line.
#include "RemoteFolderDialog.h"

#include "RemoteFolderListing.h"
#include "RemoteFolderModel.h"

#include <algorithm>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace rdt {
namespace {

// Hides names starting with "." unless asked to show them.
class HiddenFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShowHidden(bool show)
    {
        m_show = show;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        if (m_show)
            return true;
        return !sourceModel()->index(row, 0, parent).data(RemoteFolderModel::NameRole).toString().startsWith(QLatin1Char('.'));
    }

private:
    bool m_show = false;
};

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    if (slash <= 0)
        return path.startsWith(QLatin1Char('/')) ? QStringLiteral("/") : QStringLiteral("~");
    return path.left(slash);
}

} // namespace

RemoteFolderDialog::RemoteFolderDialog(RemoteFolderListing *listing, const QString &typedPath, QWidget *parent)
    : QDialog(parent), m_listing(listing)
{
    setWindowTitle(tr("Choose a folder on the server"));
    m_model = new RemoteFolderModel(this);
    auto *filter = new HiddenFilter(this);
    m_proxy = filter;
    m_proxy->setSourceModel(m_model);
    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->header()->setSectionResizeMode(RemoteFolderModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->resizeSection(RemoteFolderModel::SizeColumn, 90);
    m_view->header()->resizeSection(RemoteFolderModel::ModifiedColumn, 150);
    m_path = new QLineEdit(typedPath, this);
    m_path->setToolTip(tr("The path the field gets; press Enter to browse there"));
    auto *up = new QPushButton(tr("Up"), this);
    m_hidden = new QCheckBox(tr("Show hidden files"), this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(new QLabel(tr("Path"), this));
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(up);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_hidden);
    bottom->addWidget(m_status, 1);
    bottom->addWidget(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(pathRow);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);
    resize(720, 480);

    connect(m_model, &RemoteFolderModel::listRequested, m_listing, &RemoteFolderListing::list);
    connect(m_listing, &RemoteFolderListing::listed, this, &RemoteFolderDialog::onListed);
    connect(m_listing, &RemoteFolderListing::failed, this, &RemoteFolderDialog::onFailed);
    connect(m_hidden, &QCheckBox::toggled, this, &RemoteFolderDialog::setShowHidden);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (current.isValid())
            m_path->setText(current.data(RemoteFolderModel::PathRole).toString());
    });
    connect(m_view, &QTreeView::activated, this, &RemoteFolderDialog::chosen);
    connect(m_path, &QLineEdit::returnPressed, this, [this] { goTo(m_path->text()); });
    connect(up, &QPushButton::clicked, this, [this] { goTo(parentOf(m_model->rootPath().isEmpty() ? m_path->text() : m_model->rootPath())); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter in the path line browses; it must not also close the dialog.
    buttons->button(QDialogButtonBox::Ok)->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Ok)->setDefault(false);

    const QString start = typedPath.trimmed().isEmpty() ? QStringLiteral("~") : typedPath.trimmed();
    m_fallback = start == QLatin1String("~") ? QString() : parentOf(start);
    m_rootRequest = start;
    m_status->setText(tr("Listing %1…").arg(start));
    m_listing->list(start);
}

QString RemoteFolderDialog::selectedPath() const
{
    return m_path->text();
}

QString RemoteFolderDialog::statusText() const
{
    return m_status->text();
}

void RemoteFolderDialog::setShowHidden(bool show)
{
    if (m_hidden->isChecked() != show)
        m_hidden->setChecked(show);   // comes back here through toggled
    static_cast<HiddenFilter *>(m_proxy)->setShowHidden(show);
}

void RemoteFolderDialog::goTo(const QString &path)
{
    m_rootRequest = path.trimmed().isEmpty() ? QStringLiteral("~") : path.trimmed();
    m_fallback.clear();
    m_status->setText(tr("Listing %1…").arg(m_rootRequest));
    m_listing->list(m_rootRequest);
}

void RemoteFolderDialog::onListed(const QString &requested, const RemoteFolderContents &contents)
{
    if (requested == m_rootRequest) {
        m_rootRequest.clear();
        m_model->setRoot(contents);
        const auto hidden = std::count_if(contents.entries.cbegin(), contents.entries.cend(),
                                          [](const RemoteFolderEntry &entry) { return entry.isHidden(); });
        m_status->setText(tr("%1: %n entries", nullptr, int(contents.entries.size())).arg(contents.path)
                          + (hidden > 0 ? tr(" (%n hidden)", nullptr, int(hidden)) : QString()));
        return;
    }
    m_model->setContents(requested, contents);
}

void RemoteFolderDialog::onFailed(const QString &requested, const Error &error)
{
    if (requested != m_rootRequest) {
        m_model->setFailed(requested, error.message);
        return;
    }
    m_status->setText(error.message);
    // The typed path may be a file or not there yet: browse its folder, or the home.
    if (!m_fallback.isEmpty() && m_fallback != requested) {
        m_rootRequest = m_fallback;
        m_fallback = m_rootRequest == QLatin1String("~") ? QString() : QStringLiteral("~");
        m_listing->list(m_rootRequest);
    } else {
        m_rootRequest.clear();
    }
}

void RemoteFolderDialog::chosen(const QModelIndex &proxyIndex)
{
    const QModelIndex index = m_proxy->mapToSource(proxyIndex);
    if (index.data(RemoteFolderModel::IsFolderRole).toBool())
        m_view->setExpanded(proxyIndex.siblingAtColumn(0), !m_view->isExpanded(proxyIndex.siblingAtColumn(0)));
}

} // namespace rdt
