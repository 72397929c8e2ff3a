// The run comparison window: the configurations of the chosen runs side by side
// (RunComparisonModel), differences highlighted, with "Only differences" to hide the rest.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QTableView;

namespace rdt {

class RunComparisonModel;

class RunComparisonDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunComparisonDialog(QWidget *parent = nullptr);

    RunComparisonModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QCheckBox *onlyDifferencesBox() const { return m_onlyDifferences; }
    // Refreshes the summary line after the model changed.
    void updateSummary();

private:
    RunComparisonModel *m_model;
    QTableView *m_table;
    QCheckBox *m_onlyDifferences;
    QLabel *m_summary;
};

} // namespace rdt
