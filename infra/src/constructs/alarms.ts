// A service stack's alarms: one SNS topic (with an e-mail subscription when the config names an address)
// and CloudWatch alarms that notify it on alarm and on recovery. Missing data (no traffic) is not an alarm.
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';

export interface AlarmThresholds {
  /** 5xx answers, in percent of requests, over 3 of 5 minutes. */
  readonly errorRatePercent: number;
  /** The 99th percentile of latency, over 3 of 5 minutes. */
  readonly p99LatencyMs: number;
}

export interface AlarmSpec {
  readonly description: string;
  readonly threshold: number;
  /** One metric, or metric math whose expression is the query with returnData. */
  readonly metric:
    | { readonly namespace: string; readonly name: string; readonly dimensions: Record<string, string>; readonly statistic: string }
    | { readonly queries: CloudwatchMetricAlarmMetricQuery[] };
}

const PERCENTILE = /^p\d+(\.\d+)?$/;

export class Alarms extends Construct {
  readonly topicArn: string;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: { readonly name: string; readonly email: string | null }) {
    super(scope, id);
    this.name = props.name;
    const topic = new SnsTopic(this, 'topic', { name: `${props.name}-alarms` });
    if (props.email) new SnsTopicSubscription(this, 'email', { topicArn: topic.arn, protocol: 'email', endpoint: props.email });
    this.topicArn = topic.arn;
  }

  /** An alarm `<name>-<suffix>` when the metric is above the threshold in 3 of the last 5 minutes. */
  add(suffix: string, spec: AlarmSpec): void {
    const { metric } = spec;
    const single =
      'namespace' in metric
        ? {
            namespace: metric.namespace,
            metricName: metric.name,
            dimensions: metric.dimensions,
            period: 60,
            ...(PERCENTILE.test(metric.statistic) ? { extendedStatistic: metric.statistic } : { statistic: metric.statistic }),
          }
        : { metricQuery: metric.queries };
    new CloudwatchMetricAlarm(this, suffix, {
      alarmName: `${this.name}-${suffix}`,
      alarmDescription: spec.description,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: spec.threshold,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'notBreaching',
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      ...single,
    });
  }
}
