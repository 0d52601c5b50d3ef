import { BudgetsBudget } from '@cdktn/provider-aws/lib/budgets-budget';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';

export interface MonthlyBudgetProps {
  /** Budget name, from Naming (the alarm topic admits budgets with the environment's prefix only). */
  readonly name: string;
  readonly limitUsd: number;
  /** Shares of the limit (percent) whose crossing by the month's forecast notifies the topic. */
  readonly forecastAlertPercents: readonly number[];
  /** The alarm topic (AlarmTopic), whose policies admit AWS Budgets. */
  readonly topicArn: string;
}

/**
 * A monthly cost budget of the account that notifies the alarm topic when the forecast for the month
 * crosses each configured share of the limit, and when actual spend crosses the limit itself.
 */
export class MonthlyBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: MonthlyBudgetProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`MonthlyBudget ${props.name}`, prop, allowed, got);
    if (!(props.limitUsd > 0)) fail('limitUsd', 'an amount greater than 0', props.limitUsd);
    if (props.forecastAlertPercents.length === 0) fail('forecastAlertPercents', 'at least one share', props.forecastAlertPercents);
    const notify = (notificationType: 'FORECASTED' | 'ACTUAL', threshold: number) => ({
      notificationType,
      comparisonOperator: 'GREATER_THAN',
      threshold,
      thresholdType: 'PERCENTAGE',
      subscriberSnsTopicArns: [props.topicArn],
    });
    this.budget = new BudgetsBudget(this, 'budget', {
      name: props.name,
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      limitAmount: String(props.limitUsd),
      limitUnit: 'USD',
      notification: [...props.forecastAlertPercents.map((percent) => notify('FORECASTED', percent)), notify('ACTUAL', 100)],
    });
  }
}
