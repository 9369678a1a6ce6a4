/**
 * 表三 of 淮安市 2024 (corpus/real/gov_annual_reports, its text layer), columns 自然人 … 其他, 总计.
 * Every hard rule holds on it as printed.
 */
export const HUAIAN_2024: Readonly<Record<string, readonly number[]>> = {
  new_received: [3001, 53, 0, 0, 61, 4, 3119],
  carried_over: [34, 0, 0, 0, 0, 0, 34],
  granted: [1288, 21, 0, 0, 50, 3, 1362],
  partially_granted: [447, 7, 0, 0, 0, 0, 454],
  denied_state_secret: [2, 0, 0, 0, 0, 0, 2],
  denied_law_prohibited: [30, 1, 0, 0, 0, 0, 31],
  denied_three_safety_one_stability: [5, 0, 0, 0, 0, 0, 5],
  denied_third_party: [6, 0, 0, 0, 0, 0, 6],
  denied_internal_affairs: [7, 1, 0, 0, 0, 0, 8],
  denied_process_info: [12, 0, 0, 0, 0, 0, 12],
  denied_enforcement_file: [9, 0, 0, 0, 0, 0, 9],
  denied_admin_query: [105, 0, 0, 0, 0, 0, 105],
  unable_not_held: [746, 12, 0, 0, 10, 1, 769],
  unable_needs_creation: [11, 0, 0, 0, 0, 0, 11],
  unable_unclear: [1, 0, 0, 0, 0, 0, 1],
  np_petition: [56, 6, 0, 0, 0, 0, 62],
  np_duplicate: [25, 0, 0, 0, 0, 0, 25],
  np_publication: [0, 0, 0, 0, 0, 0, 0],
  np_excessive: [0, 0, 0, 0, 0, 0, 0],
  np_confirm_reissue: [1, 0, 0, 0, 0, 0, 1],
  other_no_correction: [67, 3, 0, 0, 1, 0, 71],
  other_unpaid_fee: [6, 0, 0, 0, 0, 0, 6],
  other_other: [108, 2, 0, 0, 0, 0, 110],
  total_processed: [2932, 53, 0, 0, 61, 4, 3050],
  carried_forward: [103, 0, 0, 0, 0, 0, 103],
};
