// The wizard's remote scripts. The trainer is looked up where the server check looks for
// it (ServerProbeScript): ROOT/bin, ROOT/build/training, then PATH.
#include "WizardScripts.h"

#include <QStringList>

namespace rdt::wizardscripts {

namespace {

#define RDT_EXPAND_ROOT \
    "root=$1\n" \
    "case $root in \"~\") root=$HOME ;; \"~/\"*) root=$HOME/${root#\"~/\"} ;; esac\n" \
    "case $root in /*) ;; *) root=$PWD/$root ;; esac\n"

} // namespace

QList<QByteArray> shArgv(const char *script, const QStringList &arguments)
{
    QList<QByteArray> argv{QByteArrayLiteral("sh"), QByteArrayLiteral("-c"), QByteArray(script), QByteArrayLiteral("sh")};
    for (const QString &argument : arguments)
        argv << argument.toUtf8();
    return argv;
}

const char kMakeFolders[] = RDT_EXPAND_ROOT
    "mkdir -p -- \"$root/datasets\" \"$root/checkpoints\" \"$root/configs\" \"$root/runs\" \"$root/bin\"\n";

const char kFreeDisk[] = RDT_EXPAND_ROOT
    "dir=$root\n"
    "while [ ! -e \"$dir\" ]; do dir=$(dirname -- \"$dir\"); done\n"
    "df -Pk -- \"$dir\"\n";

const char kComputeStatistics[] = RDT_EXPAND_ROOT
    "expand() { case $1 in \"~/\"*) printf '%s' \"$HOME/${1#\"~/\"}\" ;; *) printf '%s' \"$1\" ;; esac; }\n"
    "dataset=$(expand \"$2\"); out=$(expand \"$3\")\n"
    "PATH=$PATH:/usr/local/bin:$HOME/.local/bin\n"
    "trainer=\n"
    "for candidate in \"$root/bin/rdt-trainer\" \"$root/build/training/rdt-trainer\"; do\n"
    "  if [ -x \"$candidate\" ]; then trainer=$candidate; break; fi\n"
    "done\n"
    "if [ -z \"$trainer\" ]; then trainer=$(command -v rdt-trainer) || { echo 'rdt-trainer: not in ROOT/bin, ROOT/build/training or on PATH' >&2; exit 127; }; fi\n"
    "mkdir -p -- \"$(dirname -- \"$out\")\"\n"
    "exec \"$trainer\" stats --dataset \"$dataset\" --out \"$out\" </dev/null\n";

} // namespace rdt::wizardscripts
