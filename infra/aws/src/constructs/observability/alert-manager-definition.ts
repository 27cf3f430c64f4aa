import { stringify } from 'yaml';

export interface AlertManagerDefinitionProps {
  /** The SNS topic on-call is subscribed to (same account and region as the workspace). */
  readonly topicArn: string;
  readonly region: string;
}

/**
 * The AMP alert manager definition: every alert goes to the alarm topic, grouped by alert and
 * environment. Format of the AMP user guide ("Creating an alert manager configuration"): the
 * Alertmanager configuration is a YAML string under `alertmanager_config`; SNS receivers need
 * `sigv4.region`, and `api_url`/`http_config` are not allowed. The default message lists the labels
 * and annotations, so the runbook link and description reach the reader.
 */
export function alertManagerDefinition(props: AlertManagerDefinitionProps): string {
  const alertmanagerConfig = {
    route: {
      receiver: 'on-call',
      group_by: ['alertname', 'env'],
      group_wait: '30s',
      group_interval: '5m',
      // AMP caps repeat_interval at five days; a firing alert is repeated every four hours.
      repeat_interval: '4h',
    },
    receivers: [
      {
        name: 'on-call',
        sns_configs: [
          {
            topic_arn: props.topicArn,
            sigv4: { region: props.region },
            // SNS subjects are short: the alert, its severity and the environment.
            subject:
              '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }}, {{ .CommonLabels.env }})',
            attributes: { severity: '{{ .CommonLabels.severity }}' },
          },
        ],
      },
    ],
  };
  return stringify(
    { alertmanager_config: stringify(alertmanagerConfig, { lineWidth: 0 }) },
    { lineWidth: 0 },
  );
}
