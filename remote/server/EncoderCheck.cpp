// The encoder check: a POSIX sh script that finds the folders and the trainer and runs
// `rdt-trainer encoders`, and the reading of what it printed. Its lines:
//   @rdt-encoders 1
//   @trainer PATH                 (empty: none found)
//   @vision SOURCE PATH           SOURCE: given | root | hf-cache | none
//   @lang SOURCE PATH             SOURCE: given | root | none
//   @encode-tools RDT|PYTHON|T5   what could produce missing embeddings (empty fields: absent)
//   @report JSON                  the trainer's report, or
//   @trainer-failed STATUS        followed by its stderr lines, each prefixed with '|'
//   @end
#include "EncoderCheck.h"

#include "SshClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace rdt {
namespace {

// $1 root, $2 dataset, $3 config, $4 vision folder, $5 language embeddings.
constexpr char kScript[] = R"sh(
root=${1-} dataset=${2-} config=${3-} vision=${4-} lang=${5-}
expand() { case $1 in "~") printf '%s' "$HOME" ;; "~/"*) printf '%s/%s' "$HOME" "${1#??}" ;; *) printf '%s' "$1" ;; esac; }
root=$(expand "$root"); dataset=$(expand "$dataset"); config=$(expand "$config")
vision=$(expand "$vision"); lang=$(expand "$lang")
PATH=$PATH:/usr/local/bin:/usr/bin:/bin:$HOME/.local/bin
export PATH
LC_ALL=C
export LC_ALL
printf '\n@rdt-encoders 1\n'
trainer=
for c in "$root/bin/rdt-trainer" "$root/build/training/rdt-trainer"; do
  if [ -f "$c" ] && [ -x "$c" ]; then trainer=$c; break; fi
done
[ -n "$trainer" ] || trainer=$(command -v rdt-trainer 2>/dev/null) || trainer=
printf '@trainer %s\n' "$trainer"
# A Hugging Face cache's snapshot of repo $2 under hub folder $1: the one refs/main names,
# else any with a config.json.
snapshot() {
  r=$1/models--$2
  [ -d "$r/snapshots" ] || return 1
  if [ -f "$r/refs/main" ]; then
    read -r rev < "$r/refs/main"
    if [ -n "$rev" ] && [ -f "$r/snapshots/$rev/config.json" ]; then printf '%s' "$r/snapshots/$rev"; return 0; fi
  fi
  for s in "$r"/snapshots/*/; do
    if [ -f "$s/config.json" ]; then printf '%s' "${s%/}"; return 0; fi
  done
  return 1
}
# The caches a run could see: the environment's, the workbench's run environment
# (HF_HOME=ROOT/hf-cache), the user's default.
hubs() {
  [ -n "${HF_HUB_CACHE-}" ] && printf '%s\n' "$HF_HUB_CACHE"
  [ -n "${HF_HOME-}" ] && printf '%s\n' "$HF_HOME/hub"
  printf '%s\n' "$root/hf-cache/hub" "$HOME/.cache/huggingface/hub"
}
find_in_hubs() {
  hubs | while IFS= read -r h; do
    if f=$(snapshot "$h" "$1"); then printf '%s\n' "$f"; break; fi
  done
}
vsource=given
if [ -z "$vision" ]; then
  vsource=none
  if [ -f "$root/models/siglip-so400m-patch14-384/config.json" ]; then
    vision=$root/models/siglip-so400m-patch14-384 vsource=root
  else
    vision=$(find_in_hubs google--siglip-so400m-patch14-384)
    [ -n "$vision" ] && vsource=hf-cache
  fi
fi
printf '@vision %s %s\n' "$vsource" "$vision"
lsource=given
if [ -z "$lang" ]; then
  lsource=none
  if [ -e "$root/lang_embeddings" ]; then lang=$root/lang_embeddings lsource=root; fi
fi
printf '@lang %s %s\n' "$lsource" "$lang"
rdt=
for c in "$root/RoboticsDiffusionTransformer" "$HOME/RoboticsDiffusionTransformer"; do
  if [ -f "$c/scripts/encode_lang.py" ] && [ -f "$c/models/multimodal_encoder/t5_encoder.py" ]; then rdt=$c; break; fi
done
py=
if [ -n "$rdt" ]; then
  for p in python3 python; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch, transformers, sentencepiece' </dev/null >/dev/null 2>&1; then
      py=$(command -v "$p"); break
    fi
  done
fi
t5=
if [ -f "$root/models/t5-v1_1-xxl/config.json" ]; then t5=$root/models/t5-v1_1-xxl; else t5=$(find_in_hubs google--t5-v1_1-xxl); fi
printf '@encode-tools %s|%s|%s\n' "$rdt" "$py" "$t5"
if [ -n "$trainer" ]; then
  set -- encoders --json
  # A model or dataset not uploaded yet is the other rows' business: check without it.
  [ -n "$config" ] && [ -f "$config" ] && set -- "$@" --config "$config"
  [ -n "$dataset" ] && [ -e "$dataset" ] && set -- "$@" --dataset "$dataset"
  [ -n "$vision" ] && set -- "$@" --vision_encoder "$vision"
  [ -n "$lang" ] && set -- "$@" --lang_embeddings "$lang"
  out=$("$trainer" "$@" </dev/null 2>&1); s=$?
  if [ $s -eq 0 ]; then
    printf '@report %s\n' "$(printf '%s\n' "$out" | grep '^{' | tail -n 1)"
  else
    printf '@trainer-failed %s\n' "$s"
    printf '%s\n' "$out" | sed 's/^/|/'
  fi
fi
printf '@end\n'
)sh";

constexpr int kTimeoutMs = 120 * 1000;   // the trainer opens every file of the dataset

QString fromLine(const QByteArray &line, int prefixLength)
{
    return QString::fromUtf8(line.mid(prefixLength));
}

CheckItem visionItem(const QJsonObject &report, const QString &source, const QString &folder, const QString &root)
{
    CheckItem item{CheckId::VisionEncoder, QStringLiteral("Vision encoder (SigLIP)"), CheckStatus::Failed, {}, {}, {}};
    const QString state = report.value(QStringLiteral("state")).toString();
    const QString message = report.value(QStringLiteral("message")).toString();
    const QString where = source == QLatin1String("hf-cache") ? QStringLiteral(", found in the Hugging Face cache")
                          : source == QLatin1String("root") ? QStringLiteral(", found under the remote root")
                                                            : QString();
    if (state == QLatin1String("ok")) {
        item.status = CheckStatus::Ok;
        item.detail = QStringLiteral("%1 (%2 tokens x %3 per image)%4; the run gets --vision_encoder")
                          .arg(folder).arg(report.value(QStringLiteral("tokens")).toInt())
                          .arg(report.value(QStringLiteral("hidden")).toInt()).arg(where);
        return item;
    }
    item.detail = message;
    if (state == QLatin1String("missing")) {
        item.hint = QStringLiteral("Download google/siglip-so400m-patch14-384 where there is internet "
                                   "(huggingface-cli download google/siglip-so400m-patch14-384 --local-dir "
                                   "siglip-so400m-patch14-384) and copy the folder to %1/models/"
                                   "siglip-so400m-patch14-384; runs set HF_HUB_OFFLINE, so the server does not "
                                   "download it itself")
                        .arg(root);
    } else {
        item.detail = message + where;
        item.hint = QStringLiteral("RDT takes SigLIP so400m-patch14-384 (729 tokens x 1152): point the run at "
                                   "that folder (config.json, preprocessor_config.json, model.safetensors)");
    }
    return item;
}

CheckItem languageItem(const QJsonObject &report, const EncoderCheckOutcome &outcome, const QString &root)
{
    CheckItem item{CheckId::LanguageEmbeddings, QStringLiteral("Language embeddings (T5)"), CheckStatus::Failed, {}, {}, {}};
    const QString state = report.value(QStringLiteral("state")).toString();
    const QString message = report.value(QStringLiteral("message")).toString();
    const QString path = report.value(QStringLiteral("path")).toString();
    if (state == QLatin1String("ok")) {
        item.status = CheckStatus::Ok;
        item.detail = QStringLiteral("%1: %2; the run gets --lang_embeddings").arg(path, message);
        return item;
    }
    item.detail = state == QLatin1String("missing") && path.isEmpty()
                      ? QStringLiteral("no language embeddings: none given and no %1/lang_embeddings").arg(root)
                      : message;
    const QString how = QStringLiteral("Encode the dataset's instructions with RDT's scripts/encode_lang.py "
                                       "(T5-v1_1-XXL) and put the .pt files (and RDT's empty_lang_embed.pt) in "
                                       "%1/lang_embeddings")
                            .arg(root);
    item.hint = outcome.encodeUnavailable.isEmpty()
                    ? how + QStringLiteral("; the Fix runs it on the server with %1").arg(outcome.rdtCheckout)
                    : how + QStringLiteral("; no Fix here: %1").arg(outcome.encodeUnavailable);
    return item;
}

} // namespace

EncoderCheck::EncoderCheck(SshClient *client, QObject *parent) : QObject(parent), m_client(client) {}

QList<QByteArray> EncoderCheck::command(const EncoderCheckRequest &r)
{
    return {"sh", "-c", kScript, "rdt-encoder-check", r.remoteRoot.toUtf8(), r.dataset.toUtf8(), r.config.toUtf8(),
            r.visionEncoder.toUtf8(), r.langEmbeddings.toUtf8()};
}

void EncoderCheck::start(const EncoderCheckRequest &request)
{
    cancel();
    m_outcome = {};
    m_error = {};
    m_remoteRoot = request.remoteRoot;
    CommandSpec spec;
    spec.argv = command(request);
    spec.timeoutMs = kTimeoutMs;
    m_command = new CollectedCommand(m_client, spec, QStringLiteral("encoder check"), this);
    connect(m_command, &CollectedCommand::finished, this, &EncoderCheck::onFinished);
}

void EncoderCheck::cancel()
{
    if (m_command)
        std::exchange(m_command, nullptr)->abandon();
}

void EncoderCheck::onFinished()
{
    CollectedCommand *command = std::exchange(m_command, nullptr);
    command->deleteLater();
    if (command->error().code != ErrorCode::None) {
        m_error = command->error();
    } else if (Result<EncoderCheckOutcome> parsed = parse(command->output(), m_remoteRoot); !parsed) {
        m_error = command->withServerSaid(parsed.error());
    } else {
        m_outcome = parsed.value();
    }
    Q_EMIT finished();
}

Result<EncoderCheckOutcome> EncoderCheck::parse(const QByteArray &output, const QString &root)
{
    QList<QByteArray> lines = output.split('\n');
    const qsizetype header = lines.indexOf("@rdt-encoders 1");
    if (header < 0)
        return makeError(ErrorCode::Protocol, QStringLiteral("encoder check: the server's shell did not run the check script"));
    lines = lines.mid(header + 1);
    if (!lines.contains("@end"))
        return makeError(ErrorCode::Protocol, QStringLiteral("encoder check: the check script ended early"));

    EncoderCheckOutcome outcome;
    QString trainer, visionSource, visionFolder, langSource, langPath, trainerFailure;
    QJsonObject report;
    bool reported = false;
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.startsWith("@trainer ")) {
            trainer = fromLine(line, 9).trimmed();
        } else if (line.startsWith("@vision ")) {
            const QString rest = fromLine(line, 8);
            visionSource = rest.section(QLatin1Char(' '), 0, 0);
            visionFolder = rest.section(QLatin1Char(' '), 1);
        } else if (line.startsWith("@lang ")) {
            const QString rest = fromLine(line, 6);
            langSource = rest.section(QLatin1Char(' '), 0, 0);
            langPath = rest.section(QLatin1Char(' '), 1);
        } else if (line.startsWith("@encode-tools ")) {
            const QStringList tools = fromLine(line, 14).split(QLatin1Char('|'));
            outcome.rdtCheckout = tools.value(0);
            outcome.python = tools.value(1);
            outcome.t5Folder = tools.value(2);
        } else if (line.startsWith("@report ")) {
            const QJsonDocument document = QJsonDocument::fromJson(line.mid(8));
            if (!document.isObject())
                return makeError(ErrorCode::Protocol, QStringLiteral("encoder check: rdt-trainer encoders printed no JSON: %1")
                                                          .arg(QString::fromUtf8(line.mid(8, 80))));
            report = document.object();
            reported = true;
        } else if (line.startsWith("@trainer-failed ")) {
            trainerFailure = QStringLiteral("exit status %1").arg(fromLine(line, 16));
        } else if (line.startsWith('|') && !trainerFailure.isEmpty() && !line.mid(1).trimmed().isEmpty()) {
            trainerFailure += QStringLiteral(": ") + fromLine(line, 1).trimmed();
        }
    }
    if (outcome.rdtCheckout.isEmpty())
        outcome.encodeUnavailable = QStringLiteral("no RDT checkout (scripts/encode_lang.py) in %1/RoboticsDiffusionTransformer "
                                                   "or ~/RoboticsDiffusionTransformer").arg(root);
    else if (outcome.python.isEmpty())
        outcome.encodeUnavailable = QStringLiteral("no Python on the server imports torch, transformers and sentencepiece");
    else if (outcome.t5Folder.isEmpty())
        outcome.encodeUnavailable = QStringLiteral("no T5 folder (%1/models/t5-v1_1-xxl or google/t5-v1_1-xxl in a "
                                                   "Hugging Face cache)").arg(root);

    if (!reported) {
        // Without the trainer's reading, only where things are is known.
        QString why = trainer.isEmpty() ? QStringLiteral("no rdt-trainer on the server to read them (install it first)")
                                        : QStringLiteral("%1 encoders failed (%2)").arg(trainer, trainerFailure);
        if (trainerFailure.contains(QLatin1String("unknown command")))
            why = QStringLiteral("%1 is older than this workbench and cannot check encoders: update the trainer").arg(trainer);
        CheckItem vision{CheckId::VisionEncoder, QStringLiteral("Vision encoder (SigLIP)"), CheckStatus::Warning,
                         visionFolder.isEmpty() ? QStringLiteral("no SigLIP folder found; %1").arg(why)
                                                : QStringLiteral("%1 (not read: %2)").arg(visionFolder, why), {}, {}};
        CheckItem language{CheckId::LanguageEmbeddings, QStringLiteral("Language embeddings (T5)"), CheckStatus::Warning,
                           langPath.isEmpty() ? QStringLiteral("no language embeddings found; %1").arg(why)
                                              : QStringLiteral("%1 (not read: %2)").arg(langPath, why), {}, {}};
        outcome.items = {vision, language};
        return outcome;
    }
    const QJsonObject visionReport = report.value(QStringLiteral("vision")).toObject();
    const QJsonObject languageReport = report.value(QStringLiteral("language")).toObject();
    for (const QJsonValue &instruction : languageReport.value(QStringLiteral("missing")).toArray())
        outcome.missingInstructions << instruction.toString();
    if (visionReport.value(QStringLiteral("state")).toString() == QLatin1String("ok"))
        outcome.visionEncoder = visionReport.value(QStringLiteral("folder")).toString();
    if (languageReport.value(QStringLiteral("state")).toString() == QLatin1String("ok"))
        outcome.langEmbeddings = languageReport.value(QStringLiteral("path")).toString();
    outcome.items = {visionItem(visionReport, visionSource, visionFolder, root), languageItem(languageReport, outcome, root)};
    return outcome;
}

} // namespace rdt
