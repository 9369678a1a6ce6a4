import { describe, expect, it } from 'vitest';
import { joinCjk } from '../../../core/ocr/join-cjk.js';

describe('joinCjk', () => {
  it('removes the spaces tesseract puts between CJK characters and beside digits in CJK text', () => {
    expect(joinCjk('本 年 新 收 政 府 信 息')).toBe('本年新收政府信息');
    expect(joinCjk('共 收 到 申 请 12 件')).toBe('共收到申请12件');
    expect(joinCjk('page 12 of 30')).toBe('page 12 of 30');
  });
});
