import { ask, category } from "./define.ts";
import type { TemplateDef } from "./types.ts";

// Products, looks and discounts (reference §4 rows 61–84). Fixed here: stock reports name their
// section (the reference's PRD_INVENTORY_STATUS left it implicit), PRD_UPDATE_PRICE reads a real
// number and a known mode, and a new coupon's code and percent are checked while typing.

const STOCK = { low_stock_lte: 5, limit: 20 };
const productIds = ask.ids("product_ids", "Id товаров через запятую или пробел, например: 12, 15, 31");
const lookIds = ask.ids("look_ids", "Id луков через запятую или пробел");

export const CATALOGUE_TEMPLATES: TemplateDef[] = [
  ...category("products", [
    [
      "PRD_PUBLISH_IDS",
      "ACTION",
      "sis_products_publish",
      "✅ Опубликовать",
      "Опубликовать товары",
      { target_status: "ACTIVE" },
      { inputs: [productIds] },
    ],
    [
      "PRD_ARCHIVE_IDS",
      "ACTION",
      "sis_products_publish",
      "🙈 Скрыть",
      "Скрыть товары",
      { target_status: "ARCHIVED" },
      { inputs: [productIds] },
    ],
    [
      "PRD_PUBLISH_ALL",
      "ACTION",
      "sis_products_publish",
      "✅ Опубл. все",
      "Опубликовать все скрытые",
      { status_from: "ARCHIVED", target_status: "ACTIVE" },
    ],
    [
      "PRD_ARCHIVE_ALL",
      "ACTION",
      "sis_products_publish",
      "🙈 Скрыть все",
      "Скрыть все товары",
      { status_from: "ACTIVE", target_status: "ARCHIVED" },
    ],
    ["PRD_INVENTORY_STATUS", "REPORT", "inventory_status", "📦 Остатки", "Остатки на складе", { section: "all", ...STOCK }],
    ["PRD_NO_PHOTO", "REPORT", "inventory_status", "📷 Без фото", "Товары без фото", { section: "missing_photo", ...STOCK }],
    ["PRD_NO_PRICE", "REPORT", "inventory_status", "🏷 Без цены", "Товары без цены", { section: "missing_price", ...STOCK }],
    ["PRD_NO_VIDEO", "REPORT", "inventory_status", "🎬 Без видео", "Товары без видео", { section: "missing_video", ...STOCK }],
    ["PRD_LOW_STOCK", "REPORT", "inventory_status", "📉 Мало", "Мало на складе", { section: "low_stock", ...STOCK }],
    ["PRD_RETURN_FLAGS", "REPORT", "inventory_status", "↩️ Возвраты", "Товары с частыми возвратами", { section: "return_flags", ...STOCK }],
    [
      "PRD_SALES_RANK_30D",
      "REPORT",
      "top_products",
      "🏆 Продажи 30 дн",
      "Продажи товаров за 30 дней (шт)",
      { days: 30, metric: "qty", direction: "top", group_by: "product", limit: 10 },
    ],
    [
      "PRD_DISABLE",
      "ACTION",
      "sis_products_publish",
      "⛔ Снять",
      "Снять товары с продажи",
      { target_status: "ARCHIVED" },
      { inputs: [productIds] },
    ],
    [
      "PRD_UPDATE_PRICE",
      "ACTION",
      "adjust_price",
      "✏️ Цена",
      "Изменить цену товаров",
      { mode: "set", rounding: "none" },
      {
        inputs: [
          productIds,
          ask.choice("mode", "Как менять цену?", [
            ["Новая цена", "set"],
            ["На %", "delta_percent"],
            ["На сумму", "delta_abs"],
          ]),
          ask.number("value", "Значение: цена, процент или сумма (минус — снизить)", -1_000_000, 1_000_000),
          ask.choice("rounding", "Округление?", [
            ["Нет", "none"],
            ["До целого", "int"],
            ["До 0.5", "0.5"],
            ["До .99", "0.99"],
          ]),
        ],
      },
    ],
  ]),
  ...category("looks", [
    ["LOOK_PUBLISH_IDS", "ACTION", "sis_looks_publish", "✅ Показать", "Показать луки", { target_active: true }, { inputs: [lookIds] }],
    ["LOOK_ARCHIVE_IDS", "ACTION", "sis_looks_publish", "🙈 Скрыть", "Скрыть луки", { target_active: false }, { inputs: [lookIds] }],
    ["LOOK_PUBLISH_ALL", "ACTION", "sis_looks_publish", "✅ Все вкл", "Показать все луки", { is_active_from: false, target_active: true }],
    ["LOOK_ARCHIVE_ALL", "ACTION", "sis_looks_publish", "🙈 Все выкл", "Скрыть все луки", { is_active_from: true, target_active: false }],
  ]),
  ...category("discounts", [
    ["DSC_CLEAR_IDS", "ACTION", "sis_discounts_clear", "🧹 Убрать по id", "Убрать скидки с товаров", {}, { inputs: [productIds] }],
    ["DSC_CLEAR_ALL", "ACTION", "sis_discounts_clear", "🧹 Убрать все", "Убрать все скидки", {}],
    [
      "DSC_SET_IDS",
      "ACTION",
      "sis_discounts_set",
      "🏷 На товары",
      "Скидка на товары",
      {},
      { inputs: [productIds, ask.percent("discount_percent", "Скидка, % (1–95)")] },
    ],
    [
      "DSC_SET_STOCK",
      "ACTION",
      "sis_discounts_set",
      "📦 По остатку",
      "Скидка на товары с малым остатком",
      {},
      { inputs: [ask.stock("stock_lte", "Остаток не больше (штук, 1–9999)?"), ask.percent("discount_percent", "Скидка, % (1–95)")] },
    ],
    ["DSC_STATUS", "REPORT", "coupons_status", "🎟 Купоны", "Активные купоны", {}],
    ["DSC_TOP_USED", "REPORT", "coupons_top_used", "🔥 Топ купонов", "Самые используемые купоны", { limit: 5 }],
    [
      "DSC_CREATE_COUPON",
      "ACTION",
      "create_coupon",
      "➕ Купон",
      "Новый купон",
      { active: true },
      {
        inputs: [
          ask.code("code", "Код купона: 3–64 символа, латиница и цифры, например SPRING10"),
          ask.percent("percent_off", "Скидка по купону, % (1–95)", ["5", "10", "15", "20"]),
          ask.int("max_uses", "Сколько раз можно использовать?", 1, 1_000_000, ["1", "100", "1000"]),
        ],
      },
    ],
  ]),
];
