// The run list's view, buttons and which of them apply to the selected run's state.
#include "RunListPanel.h"

#include "RunListModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

RunListPanel::RunListPanel(QWidget *parent) : QWidget(parent)
{
    m_model = new RunListModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    // The name takes the room it needs (long names scroll sideways rather than shrink to
    // "r…1"); the last column takes what is left.
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::NameColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::StateColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::StepColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::LossColumn, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunListModel::StartColumn, QHeaderView::ResizeToContents);
    // Run names share long prefixes ("libero10-rdt170m-..."): keep both ends visible.
    // Word wrap would break them at the hyphens before eliding.
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);

    m_start = new QPushButton(tr("Start…"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(tr("Interrupt the trainer so it writes a final checkpoint; terminate after a grace period"));
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setToolTip(tr("Start the run again from its latest checkpoint"));
    m_openLog = new QPushButton(tr("Open log"), this);
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    for (QPushButton *button : {m_start, m_stop, m_resume, m_openLog})
        buttons->addWidget(button);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_start, &QPushButton::clicked, this, &RunListPanel::startRequested);
    connect(m_stop, &QPushButton::clicked, this, [this] { emit stopRequested(selectedRun()); });
    connect(m_resume, &QPushButton::clicked, this, [this] { emit resumeRequested(selectedRun()); });
    connect(m_openLog, &QPushButton::clicked, this, [this] { emit openLogRequested(selectedRun()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        emit selectedRunChanged(selectedRun());
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunListPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunListPanel::updateButtons);
    // A listing that reorders the runs resets the model: the selection and the scroll
    // position come back afterwards.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_selectedBeforeReset = selectedRun();
        m_scrollBeforeReset = m_view->verticalScrollBar()->value();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_selectedBeforeReset.isEmpty())
            selectRun(m_selectedBeforeReset);   // the same run: the dashboard sees no change
        m_view->verticalScrollBar()->setValue(m_scrollBeforeReset);
        updateButtons();
    });
    updateButtons();
}

QString RunListPanel::selectedRun() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.data(RunListModel::NameRole).toString() : QString();
}

void RunListPanel::selectRun(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RunListPanel::updateButtons()
{
    const int row = m_model->rowOf(selectedRun());
    const RunRowState state = row >= 0 ? m_model->run(row).state : RunRowState::Unknown;
    m_stop->setEnabled(state == RunRowState::Running);
    // A finished run has nothing left to do; a failed or stopped one resumes from its checkpoint.
    // Only a run that started (its start event gave the step count) has anything to resume.
    const bool started = row >= 0 && m_model->run(row).maxSteps > 0;
    m_resume->setEnabled((state == RunRowState::Failed || state == RunRowState::Stopped) && started);
    m_resume->setToolTip(row >= 0 && !started && state == RunRowState::Failed
                             ? tr("This run never started training: launch it again with Start…")
                             : tr("Start the run again from its latest checkpoint"));
    m_openLog->setEnabled(row >= 0);
}

} // namespace rdt
