// Settings keep the order of the first run that has them; a setting only some runs have is
// a difference (the others show it empty).
#include "RunComparisonModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include <map>

namespace rdt {
namespace {

QString filesText(const QString &path, const FileChecksumList &files, const QString &problem)
{
    if (path.isEmpty())
        return {};
    if (!problem.isEmpty())
        return QStringLiteral("%1 (MD5 unknown)").arg(path);
    if (files.size() == 1)
        return QStringLiteral("%1 (MD5 %2)").arg(path, files.first().md5);
    // A folder: its files' MD5s folded into one line, so two copies compare at a glance.
    QStringList sums;
    for (const FileChecksum &file : files)
        sums.append(file.relativePath + QLatin1Char('=') + file.md5.left(8));
    return QStringLiteral("%1 (%2)").arg(path, sums.join(QStringLiteral(", ")));
}

void appendFlags(QList<QPair<QString, QString>> &settings, const QStringList &arguments, const QString &prefix)
{
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (!argument.startsWith(QLatin1String("--")))
            continue;
        const qsizetype equals = argument.indexOf(QLatin1Char('='));
        QString name = equals > 0 ? argument.left(equals) : argument;
        name.replace(QLatin1Char('-'), QLatin1Char('_'));
        name.replace(0, 2, QStringLiteral("--"));
        QString value;
        if (equals > 0)
            value = argument.mid(equals + 1);
        else if (i + 1 < arguments.size() && !arguments.at(i + 1).startsWith(QLatin1String("--")))
            value = arguments.at(++i);
        else
            value = QStringLiteral("on");
        settings.append({prefix + name, value});
    }
}

} // namespace

RunComparisonModel::RunComparisonModel(QObject *parent) : QAbstractTableModel(parent) {}

QList<QPair<QString, QString>> RunComparisonModel::settingsOf(const RunConfiguration &c)
{
    QList<QPair<QString, QString>> settings;
    appendFlags(settings, c.trainerArguments, QString());
    appendFlags(settings, c.launcherArguments, QStringLiteral("launch "));
    for (const QString &variable : c.environment) {
        const qsizetype equals = variable.indexOf(QLatin1Char('='));
        if (equals > 0)
            settings.append({QStringLiteral("env ") + variable.left(equals), variable.mid(equals + 1)});
    }
    settings.append({QStringLiteral("dataset"), filesText(c.datasetPath, c.datasetFiles, c.datasetProblem)});
    settings.append({QStringLiteral("pretrained model"), filesText(c.modelPath, c.modelFiles, c.modelProblem)});
    return settings;
}

void RunComparisonModel::setRuns(const QStringList &names, const QList<RunConfiguration> &configurations)
{
    Q_ASSERT(names.size() == configurations.size());
    m_names = names;
    m_configurations = configurations;
    rebuild();
}

void RunComparisonModel::setOnlyDifferences(bool only)
{
    m_onlyDifferences = only;
    rebuild();
}

void RunComparisonModel::rebuild()
{
    beginResetModel();
    m_all.clear();
    std::map<QString, size_t> indexOf;
    for (int run = 0; run < m_configurations.size(); ++run) {
        for (const auto &[setting, value] : settingsOf(m_configurations.at(run))) {
            auto it = indexOf.find(setting);
            if (it == indexOf.end()) {
                it = indexOf.emplace(setting, m_all.size()).first;
                m_all.push_back(Row{setting, QStringList(m_configurations.size(), QString()), false});
            }
            m_all[it->second].values[run] = value;
        }
    }
    m_shown.clear();
    for (Row &row : m_all) {
        row.differs = row.values.size() > 1 && row.values.count(row.values.first()) != row.values.size();
        if (row.differs || !m_onlyDifferences)
            m_shown.push_back(&row);
    }
    endResetModel();
}

int RunComparisonModel::differingRows() const
{
    int count = 0;
    for (const Row &row : m_all)
        count += row.differs ? 1 : 0;
    return count;
}

int RunComparisonModel::rowOf(const QString &setting) const
{
    for (size_t i = 0; i < m_shown.size(); ++i)
        if (m_shown[i]->setting == setting)
            return int(i);
    return -1;
}

int RunComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int RunComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_names.size());
}

QVariant RunComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_shown.size()))
        return {};
    const Row &row = *m_shown[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return index.column() == 0 ? row.setting : row.values.value(index.column() - 1);
    case DiffersRole:
        return row.differs;
    case Qt::FontRole:
        if (row.differs) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        // Amber, readable on light and dark palettes alike.
        return row.differs ? QBrush(QColor(255, 193, 7, 70)) : QVariant();
    default:
        return {};
    }
}

QVariant RunComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Setting") : m_names.value(section - 1);
}

} // namespace rdt
