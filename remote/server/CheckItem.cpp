// Names and JSON form of the server checklist's items.
#include "CheckItem.h"

#include <QJsonValue>

namespace rdt {

namespace {

struct IdName {
    CheckId id;
    const char *name;
};

// Kept in one table so idName() and fromJson() cannot disagree.
constexpr IdName kIdNames[] = {
    {CheckId::Gpus, "gpus"},
    {CheckId::Disk, "disk"},
    {CheckId::Trainer, "trainer"},
    {CheckId::RootFolders, "root-folders"},
    {CheckId::PretrainedModel, "pretrained-model"},
    {CheckId::Tmux, "tmux"},
    {CheckId::Cpu, "cpu"},
    {CheckId::Memory, "memory"},
    {CheckId::OperatingSystem, "os"},
    {CheckId::DatasetChecksum, "dataset-checksum"},
    {CheckId::ModelChecksum, "model-checksum"},
    {CheckId::DatasetStatistics, "dataset-statistics"},
    {CheckId::VisionEncoder, "vision-encoder"},
    {CheckId::LanguageEmbeddings, "language-embeddings"},
};

} // namespace

QString CheckItem::idName(CheckId id)
{
    for (const IdName &entry : kIdNames) {
        if (entry.id == id)
            return QString::fromLatin1(entry.name);
    }
    Q_UNREACHABLE();
    return {};
}

QString CheckItem::statusName(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Ok: return QStringLiteral("ok");
    case CheckStatus::Warning: return QStringLiteral("warning");
    case CheckStatus::Failed: return QStringLiteral("failed");
    }
    Q_UNREACHABLE();
    return {};
}

CheckStatus CheckItem::worstStatus(const QList<CheckItem> &items)
{
    CheckStatus worst = CheckStatus::Ok;
    for (const CheckItem &item : items) {
        if (int(item.status) > int(worst))
            worst = item.status;
    }
    return worst;
}

QJsonObject CheckItem::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("id"), idName(id));
    object.insert(QStringLiteral("title"), title);
    object.insert(QStringLiteral("status"), statusName(status));
    object.insert(QStringLiteral("detail"), detail);
    object.insert(QStringLiteral("hint"), hint);
    if (!gpus.isEmpty()) {
        QJsonArray rows;
        for (const GpuInfo &gpu : gpus)
            rows.append(gpu.toJson());
        object.insert(QStringLiteral("gpus"), rows);
    }
    return object;
}

Result<CheckItem> CheckItem::fromJson(const QJsonObject &object)
{
    CheckItem item;
    const QString id = object.value(QStringLiteral("id")).toString();
    bool knownId = false;
    for (const IdName &entry : kIdNames) {
        if (id == QLatin1String(entry.name)) {
            item.id = entry.id;
            knownId = true;
        }
    }
    if (!knownId)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("check item: unknown id \"%1\"").arg(id));
    const QString status = object.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("ok"))
        item.status = CheckStatus::Ok;
    else if (status == QLatin1String("warning"))
        item.status = CheckStatus::Warning;
    else if (status == QLatin1String("failed"))
        item.status = CheckStatus::Failed;
    else
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("check item %1: unknown status \"%2\"").arg(id, status));
    item.title = object.value(QStringLiteral("title")).toString();
    item.detail = object.value(QStringLiteral("detail")).toString();
    item.hint = object.value(QStringLiteral("hint")).toString();
    for (const QJsonValue &row : object.value(QStringLiteral("gpus")).toArray())
        item.gpus.append(GpuInfo::fromJson(row.toObject()));
    return item;
}

QJsonArray CheckItem::toJsonArray(const QList<CheckItem> &items)
{
    QJsonArray array;
    for (const CheckItem &item : items)
        array.append(item.toJson());
    return array;
}

} // namespace rdt
