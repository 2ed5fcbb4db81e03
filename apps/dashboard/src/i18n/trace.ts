/**
 * One step of the assessment trace as a sentence in the reader's language. The API sends each step with
 * a code (`step`), its details and an English sentence (libs/policy assess*.ts); in Chinese the sentence
 * is rebuilt here from the step's code, details and the numbers of the English text. A step this code
 * does not know is named as such (its code is shown beside it), never printed in English.
 */
import type { TraceStep } from '../api/endpoints';
import { formatMoney } from '../lib/money';
import type { Lang } from './errors';
import { capName, exclusionReason, fieldName, fundingName, scopeName } from './terms';

const MONEY = /^-?\d+\.\d{2}$/;

/** Money strings with thousands separators; other numbers as they are. */
function figure(value: string): string {
  return MONEY.test(value) ? formatMoney(value) : value;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export interface TraceContext {
  readonly programName: (code: string) => string;
}

export function traceSentence(step: TraceStep, lang: Lang, context: TraceContext): string {
  if (lang === 'en') return step.message;
  const details = step.details ?? {};
  const message = step.message;
  switch (step.step) {
    case 'program': {
      const match = /^([\w-]+): .*\(([\w-]+), ([\w-]+) funding\)$/.exec(message);
      if (!match) return '扶持项目';
      return `${context.programName(match[1] as string)}（${scopeName(match[2] as string, 'zh')}，${fundingName(match[3] as string, 'zh')}）`;
    }
    case 'support-year': {
      const match = /support year (\d+) within (\d+)\.\.(\d+): (yes|no)/.exec(message);
      if (!match) return '扶持年度检查';
      return `扶持年度 ${match[1]} 在 ${match[2]}–${match[3]} 年之内：${match[4] === 'yes' ? '是' : '否'}`;
    }
    case 'date-counted':
    case 'date-excluded': {
      const field = fieldName(text(details['field']), 'zh');
      const date = text(details['date']);
      return step.step === 'date-counted'
        ? `${field} ${date}：计入`
        : `${field} ${date}：不计入（${exclusionReason(text(details['reason']), 'zh')}）`;
    }
    case 'item-counted':
    case 'item-excluded': {
      const list = /^(\w+)\[/.exec(message)?.[1] ?? 'items';
      const index = Number(details['index'] ?? 0) + 1;
      const date = text(details['date']);
      const head = `${fieldName(list, 'zh')}第 ${index} 项（${date}）`;
      return step.step === 'item-counted'
        ? `${head}：计入`
        : `${head}：不计入（${exclusionReason(text(details['reason']), 'zh')}）`;
    }
    case 'base': {
      const items = /^(\d+) item\(s\) count$/.exec(message);
      if (items) return `计入 ${items[1]} 项费用`;
      const limited = /^min\((\w+) ([\d.]+), ([\d.]+) × (\w+) = ([\d.]+)\)$/.exec(message);
      if (limited) {
        const [, field, value, multiplier, limitField, limit] = limited as unknown as string[];
        return `取${fieldName(field as string, 'zh')} ${figure(value as string)} 与 ${multiplier} 倍${fieldName(limitField as string, 'zh')}（${figure(limit as string)}）中的较小者`;
      }
      return '计算基数';
    }
    case 'rule': {
      const fixed = /^fixed amount ([\d.]+)$/.exec(message);
      if (fixed) return `定额 ${figure(fixed[1] as string)} 元`;
      const rate = /^([\d.]+) × ([\d.]+), rounded down to the fen$/.exec(message);
      if (rate) return `${percent(rate[1] as string)} × ${figure(rate[2] as string)}，分以下舍去`;
      const none = /^(\w+) ([\d.]+) reaches no tier$/.exec(message);
      if (none)
        return `${fieldName(none[1] as string, 'zh')} ${figure(none[2] as string)} 未达到任何档次`;
      const tier = /^(\w+) ([\d.]+) (≥|>) ([\d.]+)$/.exec(message);
      if (tier)
        return `${fieldName(tier[1] as string, 'zh')} ${figure(tier[2] as string)} ${tier[3]} ${figure(tier[4] as string)}，适用该档`;
      return '规则金额';
    }
    case 'eligibility': {
      const met = details['met'] === true || / met$/.test(message) ? '满足' : '不满足';
      const growth = /^(\w+) ([\d.]+) ≥ (\w+) ([\d.]+) × ([\d.]+) = ([\d.]+): /.exec(message);
      if (growth) {
        const [, field, value, prior, priorValue, ratio, required] = growth as unknown as string[];
        return `${fieldName(field as string, 'zh')} ${figure(value as string)} ≥ ${fieldName(prior as string, 'zh')} ${figure(priorValue as string)} × ${ratio} = ${figure(required as string)}：${met}`;
      }
      const minimum = /^(\w+) ([\d.]+) (≥|>) ([\d.]+): /.exec(message);
      if (minimum)
        return `${fieldName(minimum[1] as string, 'zh')} ${figure(minimum[2] as string)} ${minimum[3]} ${figure(minimum[4] as string)}：${met}`;
      return `资格条件：${met}`;
    }
    case 'cap': {
      const capId = text(details['capId']);
      return `${capName(capId, 'zh', context.programName)}：上限 ${figure(text(details['cap']))}，已批 ${figure(text(details['granted']))}，剩余 ${figure(step.amount ?? '0.00')}`;
    }
    case 'ceiling': {
      const match = /^min\(requested ([\d.]+), rule ([\d.]+), every room\)$/.exec(message);
      if (match)
        return `取申请金额 ${figure(match[1] as string)}、规则金额 ${figure(match[2] as string)} 与各项剩余额度中的最小值`;
      return message === 'not eligible' ? '不符合条件，可核定金额为零' : '可核定上限';
    }
    case 'refused':
      return '申报不予受理（原因见代码与服务端原文）';
    default:
      return '未识别的测算步骤';
  }
}

/** '0.7' → '70%' (string arithmetic on at most 4 decimals). */
function percent(rate: string): string {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(rate);
  if (!match) return rate;
  const basisPoints = Number(match[1]) * 10000 + Number((match[2] ?? '').padEnd(4, '0'));
  const whole = Math.floor(basisPoints / 100);
  const fraction = basisPoints % 100;
  return fraction === 0
    ? `${whole}%`
    : `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}%`;
}
