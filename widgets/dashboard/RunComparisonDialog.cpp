// Non-modal, so the overlaid curves stay in view beside it.
#include "RunComparisonDialog.h"

#include "RunComparisonModel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rdt {

RunComparisonDialog::RunComparisonDialog(QWidget *parent)
    : QDialog(parent), m_model(new RunComparisonModel(this)), m_table(new QTableView(this)),
      m_onlyDifferences(new QCheckBox(tr("Only differences"), this)), m_summary(new QLabel(this))
{
    setWindowTitle(tr("Compare runs"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_onlyDifferences);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this](bool only) {
        m_model->setOnlyDifferences(only);
        updateSummary();
    });
    // Long paths would push the other runs out of view: each column gets at most a third of
    // the table, the full value stays in the tooltip.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_table->resizeColumnsToContents();
        const int widest = std::max(200, m_table->viewport()->width() / 3);
        for (int column = 0; column < m_model->columnCount(); ++column)
            m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), widest));
    });
    resize(900, 520);
}

void RunComparisonDialog::updateSummary()
{
    m_summary->setText(tr("%n setting(s) differ", nullptr, m_model->differingRows()));
}

} // namespace rdt
