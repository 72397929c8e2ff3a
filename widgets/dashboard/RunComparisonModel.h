// Runs' configurations side by side, as W&B's run comparer shows them: one row per setting
// (each trainer flag, launcher flag, environment variable, the dataset and the model with
// their MD5s), one column per run, and the rows whose values differ marked (bold, tinted)
// and first when sorted by difference. Built from RunConfiguration (RunExportReader).
#pragma once

#include "RunConfiguration.h"

#include <QAbstractTableModel>

#include <vector>

namespace rdt {

class RunComparisonModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int DiffersRole = Qt::UserRole + 1;   // bool, on any column

    explicit RunComparisonModel(QObject *parent = nullptr);

    // `names` and `configurations` in the same order, one column each.
    void setRuns(const QStringList &names, const QList<RunConfiguration> &configurations);
    void setOnlyDifferences(bool only);

    int differingRows() const;
    int rowOf(const QString &setting) const;   // -1 when not shown

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "--train_batch_size" -> "4" from one run's flags (a bare flag is "on").
    static QList<QPair<QString, QString>> settingsOf(const RunConfiguration &configuration);

private:
    struct Row {
        QString setting;
        QStringList values;   // one per run; empty: not set in that run
        bool differs = false;
    };
    void rebuild();

    QStringList m_names;
    QList<RunConfiguration> m_configurations;
    std::vector<Row> m_all;
    std::vector<const Row *> m_shown;
    bool m_onlyDifferences = false;
};

} // namespace rdt
