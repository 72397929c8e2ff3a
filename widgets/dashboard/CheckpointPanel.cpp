// Layout and the Download intent of the checkpoints panel.
#include "CheckpointPanel.h"

#include "CheckpointTableModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rdt {

CheckpointPanel::CheckpointPanel(QWidget *parent) : QWidget(parent)
{
    m_model = new CheckpointTableModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(true);
    for (int column : {CheckpointTableModel::StepColumn, CheckpointTableModel::TimeColumn, CheckpointTableModel::SizeColumn})
        m_view->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_download = new QPushButton(tr("Download…"), this);
    m_download->setToolTip(tr("Copy the selected checkpoint folder to this computer, checksum-verified"));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_download);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CheckpointPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CheckpointPanel::updateButtons);
    connect(m_view, &QTableView::doubleClicked, m_download, &QPushButton::click);
    connect(m_download, &QPushButton::clicked, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            emit downloadRequested(m_model->checkpoint(rows.first().row()));
    });
    updateButtons();
}

void CheckpointPanel::updateButtons()
{
    m_download->setEnabled(m_view->selectionModel()->hasSelection());
}

} // namespace rdt
