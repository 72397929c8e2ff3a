// Main window layout.
#include "MainWindow.h"

#include "CheckListModel.h"
#include "ConnectionPanel.h"
#include "HostProfileStore.h"
#include "HostProfilesPanel.h"
#include "RunDashboard.h"
#include "SetupWizard.h"
#include "WorkbenchIcon.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_wizardProfiles(std::make_unique<HostProfileStore>()), m_stack(new QStackedWidget),
      m_wizard(new SetupWizard(m_wizardProfiles.get())), m_workspace(nullptr), m_connectionPanel(new ConnectionPanel),
      m_hostProfilesPanel(new HostProfilesPanel(std::make_unique<HostProfileStore>())),
      m_leftTabs(new QTabWidget), m_checkListModel(new CheckListModel(this)), m_runsPage(new QWidget),
      m_runsStatus(new QLabel), m_runDashboard(new RunDashboard)
{
    setWindowTitle(tr("RDT Workbench"));
    setWindowIcon(WorkbenchIcon::icon());

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
    m_workspace = splitter;

    // The wizard is the first thing a user sees; embedded, not a dialog of its own.
    m_wizard->setWindowFlags(Qt::Widget);
    // Finish (or Escape) ends the wizard as a dialog would, hiding it; embedded, it comes
    // back at its first page for the next server, and the workspace takes the window.
    connect(m_wizard, &QWizard::finished, this, [this] {
        m_wizard->show();
        showWorkspace();
    });
    // The wizard scrolls on a short screen (a 720-pixel laptop) instead of making every view
    // of the window as tall as its tallest page. It is the stack's first page.
    auto *wizardScroll = new QScrollArea;
    wizardScroll->setWidget(m_wizard);
    wizardScroll->setWidgetResizable(true);
    wizardScroll->setFrameShape(QFrame::NoFrame);
    m_stack->addWidget(wizardScroll);
    m_stack->addWidget(m_workspace);
    auto *runsLayout = new QVBoxLayout(m_runsPage);
    runsLayout->setContentsMargins(6, 4, 6, 0);
    m_runsStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    runsLayout->addWidget(m_runsStatus);
    runsLayout->addWidget(m_runDashboard, 1);
    m_stack->addWidget(m_runsPage);
    setCentralWidget(m_stack);
    QToolBar *toolbar = addToolBar(tr("Views"));
    toolbar->setMovable(false);
    toolbar->addAction(tr("Setup wizard"), this, &MainWindow::showWizard);
    toolbar->addAction(tr("Server"), this, &MainWindow::showWorkspace);
    toolbar->addAction(tr("Runs"), this, &MainWindow::showRuns);
    statusBar()->showMessage(tr("Not connected"));
    resize(1200, 820);
}

MainWindow::~MainWindow() = default;

void MainWindow::showWizard()
{
    m_stack->setCurrentIndex(0);   // the wizard's scroll area
}

void MainWindow::showWorkspace()
{
    m_stack->setCurrentWidget(m_workspace);
}

void MainWindow::showRuns()
{
    m_stack->setCurrentWidget(m_runsPage);
}

bool MainWindow::isShowingWizard() const
{
    return m_stack->currentIndex() == 0;
}

} // namespace rdt
