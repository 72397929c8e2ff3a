// Page 5 of the setup wizard: what will run, "Launch", each stage as it happens, the
// trainer's own error lines when it fails before training, and the hand-over once its
// `start` event is in metrics.jsonl.
#pragma once

#include "RunStarter.h"

#include <QPointer>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace rdt {

class TakenRunNote;
class GpuPicker;
class TrainingConfigPage;
class WizardSession;

class LaunchPage : public QWizardPage {
    Q_OBJECT
public:
    LaunchPage(WizardSession *session, TrainingConfigPage *configuration, QWidget *parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    void launch();
    void cancel();
    bool hasStarted() const { return m_started; }
    QString logText() const;
    QString failureText() const;
    // Seconds to wait for the start event (a large model takes minutes to load).
    void setStartTimeout(int seconds) { m_timeoutSeconds = seconds; }
    // Says when the run name is already a run on the server and offers resume.
    TakenRunNote *takenRunNote() const { return m_taken; }
    GpuPicker *gpuPicker() const { return m_gpus; }
    // The configuration page's settings with the processes and GPUs picked here.
    TrainingSettings settings() const;

Q_SIGNALS:
    void runStarted(const rdt::LaunchedRun &run);

private:
    void log(const QString &line);
    void setBusy(bool busy);
    void updatePerGpu();

    WizardSession *m_session;
    TrainingConfigPage *m_configuration;
    QPointer<RunStarter> m_starter;
    QLabel *m_summary;
    TakenRunNote *m_taken;
    GpuPicker *m_gpus;
    QLabel *m_perGpu;
    QPushButton *m_launch;
    QPushButton *m_cancel;
    QProgressBar *m_busy;
    QPlainTextEdit *m_log;
    QPlainTextEdit *m_failure;
    int m_timeoutSeconds = 300;
    bool m_started = false;
};

} // namespace rdt
