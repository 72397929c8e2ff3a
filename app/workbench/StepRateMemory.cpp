// Settings: stepRates/shape/<key> = steps per second; stepRates/pending/<run key> = the
// shape of a launched run not finished yet. Keys are base64 (QSettings reads '/' as groups).
#include "StepRateMemory.h"

#include "LaunchPage.h"
#include "MainWindow.h"
#include "RunDashboard.h"
#include "RunListModel.h"
#include "RunListPanel.h"
#include "RunSeries.h"
#include "SetupWizard.h"
#include "TrainingConfigPage.h"
#include "WizardSession.h"

#include <QSettings>

namespace rdt {

namespace {

QString encoded(const QString &text)
{
    return QString::fromLatin1(text.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString pendingKey(const QString &host, const QString &run)
{
    return QStringLiteral("stepRates/pending/") + encoded(host + QLatin1Char('|') + run);
}

} // namespace

StepRateMemory::StepRateMemory(MainWindow *window) : QObject(window), m_window(window)
{
    SetupWizard *wizard = window->setupWizard();
    connect(wizard, &SetupWizard::runStarted, this, [this, wizard](const LaunchedRun &run) {
        const QString host = wizard->session()->profile.host;
        QSettings().setValue(pendingKey(host, run.name), shapeKey(host, wizard->trainingPage()->settings()));
    });
    RunListModel *runs = window->runDashboard()->runList()->model();
    connect(runs, &QAbstractItemModel::dataChanged, this, &StepRateMemory::learnFromFinishedRuns);
    connect(runs, &QAbstractItemModel::modelReset, this, &StepRateMemory::learnFromFinishedRuns);
    connect(wizard, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == SetupWizard::TrainingPageId)
            offerRate();
    });
}

QString StepRateMemory::shapeKey(const QString &host, const TrainingSettings &s)
{
    return QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
        .arg(host, s.modelSize, s.device)
        .arg(s.processes)
        .arg(s.trainBatchSize)
        .arg(s.gradientAccumulationSteps)
        .arg(s.mixedPrecision)
        .arg(s.gradientCheckpointing ? 1 : 0);
}

double StepRateMemory::rateFor(const QString &shapeKey)
{
    return QSettings().value(QStringLiteral("stepRates/shape/") + encoded(shapeKey), 0.0).toDouble();
}

// A finished run's rate over the steps it logged: from its first to its last point, so
// loading the model before step 1 does not count.
void StepRateMemory::learnFromFinishedRuns()
{
    const QString host = m_window->setupWizard()->session()->profile.host;
    const RunDashboard *dashboard = m_window->runDashboard();
    const RunListModel *runs = dashboard->runList()->model();
    QSettings settings;
    for (int row = 0; row < runs->rowCount(); ++row) {
        const RunRow &run = runs->run(row);
        if (run.state != RunRowState::Finished)
            continue;
        const QString pending = pendingKey(host, run.name);
        const QString shape = settings.value(pending).toString();
        const RunSeries *series = dashboard->series(run.name);
        if (shape.isEmpty() || !series || series->size() < 2)
            continue;
        const double steps = series->steps().back() - series->steps().front();
        const double seconds = series->wallTimes().back() - series->wallTimes().front();
        if (steps <= 0 || seconds <= 0)
            continue;
        settings.setValue(QStringLiteral("stepRates/shape/") + encoded(shape), steps / seconds);
        settings.remove(pending);
    }
}

void StepRateMemory::offerRate()
{
    SetupWizard *wizard = m_window->setupWizard();
    TrainingConfigPage *training = wizard->trainingPage();
    const double rate = rateFor(shapeKey(wizard->session()->profile.host, training->settings()));
    if (rate > 0)
        training->setStepRate(rate);
}

} // namespace rdt
