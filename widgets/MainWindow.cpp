// Main window layout.
#include "MainWindow.h"

#include "CheckListModel.h"
#include "ConnectionPanel.h"
#include "HostProfileStore.h"
#include "HostProfilesPanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_connectionPanel(new ConnectionPanel),
      m_hostProfilesPanel(new HostProfilesPanel(std::make_unique<HostProfileStore>())),
      m_leftTabs(new QTabWidget), m_checkListModel(new CheckListModel(this))
{
    setWindowTitle(tr("RDT Workbench"));

    auto *table = new QTableView;
    table->setModel(m_checkListModel);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(CheckListModel::StatusColumn, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(CheckListModel::CheckColumn, QHeaderView::ResizeToContents);
    // The detail takes the room that is left and the hint keeps a fixed share, so both
    // stay in view without a horizontal scroll bar; the tooltip shows either in full.
    table->horizontalHeader()->setSectionResizeMode(CheckListModel::DetailColumn, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(CheckListModel::HintColumn, QHeaderView::Interactive);
    table->setColumnWidth(CheckListModel::HintColumn, 260);

    auto *checklist = new QWidget;
    auto *checklistLayout = new QVBoxLayout(checklist);
    checklistLayout->setContentsMargins(0, 0, 0, 0);
    checklistLayout->addWidget(new QLabel(tr("<b>Server check</b>")));
    checklistLayout->addWidget(table);

    // The profiles share the connection form's place: picking one fills the form, so the
    // form comes back to the front then.
    m_leftTabs->addTab(m_connectionPanel, tr("Connection"));
    m_leftTabs->addTab(m_hostProfilesPanel, tr("Host profiles"));
    connect(m_hostProfilesPanel, &HostProfilesPanel::profileActivated, this,
            [this] { m_leftTabs->setCurrentWidget(m_connectionPanel); });

    auto *splitter = new QSplitter;
    splitter->addWidget(m_leftTabs);
    splitter->addWidget(checklist);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    // Stretch factors only share out extra room; the first layout follows the panes'
    // size hints, which favour the form. Start with the checklist as the larger pane.
    splitter->setSizes({440, 840});
    setCentralWidget(splitter);
    statusBar()->showMessage(tr("Not connected"));
    resize(1280, 640);
}

} // namespace rdt
