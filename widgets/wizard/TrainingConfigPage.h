// Page 4 of the setup wizard: the trainer's flags as a form with presets, the run's
// environment variables, and live estimates: effective batch, checkpoints against the
// server's free disk, GPU memory against the GPUs' memory (with remedies), and the expected
// duration once a step rate is known.
#pragma once

#include "TrainingSettings.h"

#include <QWizardPage>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace rdt {

class EnvironmentModel;
class WizardSession;

class TrainingConfigPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TrainingConfigPage(WizardSession *session, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    TrainingSettings settings() const;
    void setSettings(const TrainingSettings &settings);
    void applyPreset(const QString &name);
    // Measured steps per second (from an earlier run); 0: unknown.
    void setStepRate(double stepsPerSecond);
    QString estimatesText() const;
    // The estimates' model read from the chosen model's config.json; nullopt: none chosen or unreadable.
    const std::optional<ModelSize> &modelFromConfig() const { return m_modelFromConfig; }
    QComboBox *modelSizeBox() const { return m_modelSize; }
    QComboBox *presetBox() const { return m_preset; }

private:
    void updateEstimates();
    void readModelSize(const QString &localModel);
    ModelSize modelSize(const QString &name) const;
    QSpinBox *spin(qint64 minimum, qint64 maximum);

    WizardSession *m_session;
    EnvironmentModel *m_environment;
    QComboBox *m_preset;
    QLineEdit *m_runName;
    QComboBox *m_modelSize;
    std::optional<ModelSize> m_modelFromConfig;   // first in m_modelSize when there
    QLineEdit *m_config;
    QLineEdit *m_dataset;
    QLineEdit *m_pretrained;
    QLineEdit *m_resume;
    QLineEdit *m_visionEncoder;
    QLineEdit *m_langEmbeddings;
    QCheckBox *m_langLearned;
    QSpinBox *m_processes;
    QSpinBox *m_batch;
    QSpinBox *m_accumulation;
    QDoubleSpinBox *m_learningRate;
    QSpinBox *m_steps;
    QSpinBox *m_checkpointPeriod;
    QSpinBox *m_checkpointLimit;
    QCheckBox *m_gradientCheckpointing;
    QComboBox *m_precision;
    QComboBox *m_scheduler;
    QSpinBox *m_warmup;
    QDoubleSpinBox *m_maxGradNorm;
    QSpinBox *m_samplePeriod;
    QSpinBox *m_workers;
    QSpinBox *m_seed;
    QComboBox *m_device;
    QDoubleSpinBox *m_stepRate;
    QLabel *m_estimates;
    bool m_filling = false;
};

} // namespace rdt
