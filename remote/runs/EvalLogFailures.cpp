// The patterns follow what MuJoCo, PyOpenGL, robosuite and Python print: MuJoCo's
// "mujoco.FatalError: gladLoadGL error", "Could not initialize OpenGL", PyOpenGL's
// "Unable to load EGL library" and "OSMesa" messages, GLFW's "X11: The DISPLAY environment
// variable is missing"; Python's "ModuleNotFoundError: No module named 'libero'" and
// "FileNotFoundError: [Errno 2] No such file or directory: 'configs/base.yaml'".
#include "EvalLogFailures.h"

#include <QRegularExpression>

namespace rdt {

namespace {

constexpr auto kInsensitive = QRegularExpression::CaseInsensitiveOption;

const QRegularExpression kRendering(
    QStringLiteral(R"(gladLoadGL|Could not (?:initialize|create) (?:OpenGL|an? OpenGL|EGL|GL context)|)"
                   R"(Unable to load (?:EGL|OSMesa|OpenGL)|EGL_NOT_INITIALIZED|eglInitialize|)"
                   R"(Cannot initialize a(?:n)? EGL device|OSMesa(?:CreateContext|MakeCurrent)? (?:failed|error)|)"
                   R"(libOSMesa\.so|GLFWError|The DISPLAY environment variable is missing|)"
                   R"(An OpenGL platform library has not been loaded|invalid value for environment variable MUJOCO_GL)"),
    kInsensitive);
const QRegularExpression kMujocoGlValue(QStringLiteral(R"(MUJOCO_GL[= ]+['"]?(\w+))"));

const QRegularExpression kModuleMissing(QStringLiteral(R"(No module named '([\w.]+)')"));

// A relative path the script expected to find under its own folder.
const QRegularExpression kRelativeFileMissing(
    QStringLiteral(R"(No such file or directory: '((?:configs|eval_sim|experiments|scripts|checkpoints)/[^']+)')"));

KnownFailure rendering(const QString &line)
{
    const QString backend = kMujocoGlValue.match(line).captured(1);
    return {FailureKind::HeadlessRenderingFailed, QStringLiteral("Headless MuJoCo rendering failed"),
            QStringLiteral("The eval renders its camera images off screen and found no usable OpenGL%1: the server "
                           "has no display.")
                .arg(backend.isEmpty() ? QString() : QStringLiteral(" for MUJOCO_GL=%1").arg(backend)),
            QStringLiteral("Set MUJOCO_GL=egl and PYOPENGL_PLATFORM=egl in the eval's environment (NVIDIA GPUs: the "
                           "driver's libEGL), or MUJOCO_GL=osmesa and PYOPENGL_PLATFORM=osmesa to render on the CPU "
                           "(apt-get install libosmesa6). Never glfw on a server: it needs a display."),
            line};
}

KnownFailure moduleMissing(const QString &line)
{
    const QString module = kModuleMissing.match(line).captured(1);
    const QString top = module.section(QLatin1Char('.'), 0, 0);
    QString remedy = QStringLiteral("Run the eval in the Python environment that has %1: set its activation "
                                    "(conda activate NAME, or a venv's bin/activate) in the host profile's environment, "
                                    "or install it there")
                         .arg(top);
    if (top == QLatin1String("libero"))
        remedy += QStringLiteral(" (git clone LIBERO, then pip install -e LIBERO)");
    else if (top == QLatin1String("robosuite") || top == QLatin1String("mujoco"))
        remedy += QStringLiteral(" (pip install robosuite mujoco, in the versions LIBERO's requirements name)");
    return {FailureKind::PythonModuleMissing, QStringLiteral("Python module %1 missing").arg(top),
            QStringLiteral("The eval's Python cannot import %1.").arg(module), remedy + QLatin1Char('.'), line};
}

KnownFailure relativeFileMissing(const QString &line)
{
    const QString path = kRelativeFileMissing.match(line).captured(1);
    return {FailureKind::EvalFileMissing, QStringLiteral("Eval script started in the wrong folder"),
            QStringLiteral("The script looks for %1 relative to the folder it runs in, and it is not there.").arg(path),
            QStringLiteral("Set the preset's repository field (rdt_repo, openvla_repo) to the folder that holds %1 "
                           "on the server: the command changes into it first.")
                .arg(path),
            line};
}

} // namespace

std::optional<KnownFailure> EvalLogFailures::recognise(const QString &line)
{
    if (kRendering.match(line).hasMatch())
        return rendering(line);
    if (kModuleMissing.match(line).hasMatch())
        return moduleMissing(line);
    if (kRelativeFileMissing.match(line).hasMatch())
        return relativeFileMissing(line);
    return KnownFailures::recognise(line);
}

QList<KnownFailure> EvalLogFailures::recogniseAll(const QStringList &lines)
{
    return KnownFailures::firstOfEachKind(lines, &EvalLogFailures::recognise);
}

QString EvalLogFailures::explain(const QStringList &lines)
{
    const QList<KnownFailure> failures = recogniseAll(lines);
    if (failures.isEmpty())
        return {};
    const KnownFailure &first = failures.first();
    return QStringLiteral("%1: %2 %3").arg(first.title, first.explanation, first.remedy).simplified();
}

} // namespace rdt
