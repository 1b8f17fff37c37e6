import type { LocalDay } from "../format/dates.ts";
import { parsePeriod, shopToday, weekStartOf, type Calendar, type Period } from "./period.ts";
import { prepare } from "./text.ts";
import type { RouteContext } from "./types.ts";

/**
 * One message being routed. The calendar and the period are computed on first use only: most
 * phrases ("остатки", "зависшие заказы") never need the shop's today.
 */
export class Message {
  readonly clean: string;
  readonly norm: string;
  /** The text was longer than the router reads; only its start is in clean/norm. */
  readonly cut: boolean;
  readonly ctx: RouteContext;
  #cal: Calendar | undefined;
  #period: Period | undefined | null = null;

  constructor(text: string, ctx: RouteContext) {
    const p = prepare(text);
    this.clean = p.clean;
    this.norm = p.norm;
    this.cut = p.cut;
    this.ctx = ctx;
  }

  get cal(): Calendar {
    this.#cal ??= {
      today: shopToday(this.ctx.now, this.ctx.shop.timeZone),
      weekStart: weekStartOf(this.ctx.shop.locale),
    };
    return this.#cal;
  }

  get today(): LocalDay {
    return this.cal.today;
  }

  get period(): Period | undefined {
    if (this.#period === null) this.#period = parsePeriod(this.norm, this.cal);
    return this.#period;
  }

  has(re: RegExp): boolean {
    return re.test(this.norm);
  }
}
