import { CloudwatchDashboard } from '@cdktn/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';

/** One alarm on the dashboard: its graph shows the metric, the threshold and the alarm state. */
export interface DashboardAlarm {
  readonly name: string;
  /** ARN of the alarm, known at synth time (alarms of other layers are not referenced, only named). */
  readonly arn: string;
  /** Section heading the alarm is grouped under, e.g. "postgres". */
  readonly section: string;
}

export interface EnvironmentDashboardProps {
  /** Dashboard name, from Naming. */
  readonly name: string;
  readonly region: string;
  readonly alarms: readonly DashboardAlarm[];
}

/** CloudWatch dashboards are 24 grid units wide; an alarm status widget lists at most 100 alarms. */
const GRID_WIDTH = 24;
const GRAPH_WIDTH = 8;
const GRAPH_HEIGHT = 6;
const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * The environment's dashboard: the state of every alarm at the top, then, per section, one graph per
 * alarm with its metric and threshold, so it shows exactly the signals that page someone.
 * Body format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export class EnvironmentDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: EnvironmentDashboardProps) {
    super(scope, id);
    if (props.alarms.length === 0) invalidProp(`EnvironmentDashboard ${props.name}`, 'alarms', 'at least one alarm', props.alarms);
    const names = props.alarms.map((alarm) => alarm.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) invalidProp(`EnvironmentDashboard ${props.name}`, 'alarms', 'alarms with unique names', duplicate);

    const widgets: Record<string, unknown>[] = [];
    let y = 0;
    for (let i = 0; i < props.alarms.length; i += ALARMS_PER_STATUS_WIDGET) {
      const chunk = props.alarms.slice(i, i + ALARMS_PER_STATUS_WIDGET);
      const height = 2 + Math.ceil(chunk.length / 4);
      widgets.push({
        type: 'alarm',
        x: 0,
        y,
        width: GRID_WIDTH,
        height,
        properties: { title: 'Alarms, firing first', alarms: chunk.map((alarm) => alarm.arn), sortBy: 'stateUpdatedTimestamp' },
      });
      y += height;
    }
    const sections = [...new Set(props.alarms.map((alarm) => alarm.section))];
    for (const section of sections) {
      widgets.push({ type: 'text', x: 0, y, width: GRID_WIDTH, height: 1, properties: { markdown: `## ${section}` } });
      y += 1;
      props.alarms
        .filter((alarm) => alarm.section === section)
        .forEach((alarm, i) => {
          const perRow = GRID_WIDTH / GRAPH_WIDTH;
          widgets.push({
            type: 'metric',
            x: (i % perRow) * GRAPH_WIDTH,
            y: y + Math.floor(i / perRow) * GRAPH_HEIGHT,
            width: GRAPH_WIDTH,
            height: GRAPH_HEIGHT,
            // An alarm annotation draws the alarm's own metric and threshold.
            properties: { title: alarm.name, view: 'timeSeries', region: props.region, annotations: { alarms: [alarm.arn] } },
          });
        });
      y += Math.ceil(props.alarms.filter((alarm) => alarm.section === section).length / (GRID_WIDTH / GRAPH_WIDTH)) * GRAPH_HEIGHT;
    }
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.name, dashboardBody: JSON.stringify({ widgets }) });
  }
}
