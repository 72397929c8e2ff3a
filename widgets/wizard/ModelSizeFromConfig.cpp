// Without a safetensors file the parameter count comes from the widths, as RDT's blocks
// have them: self-attention and cross-attention (4 H^2 each) and the MLP (2 H^2) per block,
// plus the three adaptors (two-layer MLPs into H). Within 3 % of RDT-1B's and RDT-170M's.
#include "ModelSizeFromConfig.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

namespace rdt {
namespace {

// SigLIP so400m's features are 1152 wide; the sandbox's patch stand-in has other widths.
constexpr int kSiglipWidth = 1152;
constexpr qint64 kSiglipSo400mVisionParameters = 428'000'000;   // as TrainingSettings.cpp counts it
// safetensors headers of real checkpoints are well under this (rdt-1b's: about 100 KB).
constexpr quint64 kMaxHeaderBytes = 64ull << 20;

qint64 formulaParameters(qint64 hidden, qint64 depth, qint64 langWidth, qint64 imageWidth, qint64 stateWidth)
{
    const qint64 blocks = depth * 10 * hidden * hidden;
    const qint64 adaptors = (langWidth + imageWidth + 2 * stateWidth) * hidden + 3 * hidden * hidden;
    return blocks + adaptors;
}

} // namespace

qint64 ModelSizeFromConfig::safetensorsParameters(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray length = file.read(8);
    if (length.size() != 8)
        return -1;
    const quint64 headerBytes = qFromLittleEndian<quint64>(length.constData());
    if (headerBytes == 0 || headerBytes > kMaxHeaderBytes)
        return -1;
    const QJsonDocument header = QJsonDocument::fromJson(file.read(qint64(headerBytes)));
    if (!header.isObject())
        return -1;
    qint64 parameters = 0;
    const QJsonObject tensors = header.object();
    for (auto it = tensors.begin(); it != tensors.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__"))
            continue;
        qint64 count = 1;
        for (const QJsonValue &dimension : it.value().toObject().value(QStringLiteral("shape")).toArray())
            count *= dimension.toInteger();
        parameters += count;
    }
    return parameters;
}

std::optional<ModelSize> ModelSizeFromConfig::read(const QString &model, QString *problem)
{
    const QFileInfo info(model);
    const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    const QString configPath = folder + QStringLiteral("/config.json");
    QFile file(configPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("%1: %2").arg(configPath, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject json = document.object();
    const QJsonObject rdt = json.value(QStringLiteral("config")).toObject().value(QStringLiteral("rdt")).toObject();
    const int hidden = rdt.value(QStringLiteral("hidden_size")).toInt();
    const int depth = rdt.value(QStringLiteral("depth")).toInt();
    if (parseError.error != QJsonParseError::NoError || hidden <= 0 || depth <= 0) {
        *problem = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("%1: not JSON (%2 at byte %3)").arg(configPath, parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("%1: no config.rdt.hidden_size and depth (Hugging Face RDT layout expected)").arg(configPath);
        return std::nullopt;
    }
    ModelSize size;
    size.hiddenSize = hidden;
    size.depth = depth;
    const int imageTokens = json.value(QStringLiteral("img_cond_len")).toInt(2 * 3 * 729);
    const int languageTokens = json.value(QStringLiteral("max_lang_cond_len")).toInt(1024);
    size.conditionTokens = imageTokens + languageTokens;
    size.actionTokens = json.value(QStringLiteral("pred_horizon")).toInt(64) + 3;   // + state, timestep, frequency
    const int imageWidth = json.value(QStringLiteral("img_token_dim")).toInt(kSiglipWidth);
    size.visionParameters = imageWidth == kSiglipWidth ? kSiglipSo400mVisionParameters : 0;

    const qint64 counted = safetensorsParameters(folder + QStringLiteral("/model.safetensors"));
    size.parameters = counted > 0 ? counted
                                  : formulaParameters(hidden, depth, json.value(QStringLiteral("lang_token_dim")).toInt(4096),
                                                      imageWidth, json.value(QStringLiteral("state_token_dim")).toInt(128));
    size.name = QStringLiteral("%1 (config.json: hidden %2, depth %3)").arg(QFileInfo(folder).fileName()).arg(hidden).arg(depth);
    return size;
}

} // namespace rdt
