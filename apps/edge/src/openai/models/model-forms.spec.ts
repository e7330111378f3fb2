import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import { anthropicModelPage } from './model-forms.js';

const MODELS = ['a', 'b', 'c', 'd', 'e'];
const ids = (page: { data: Array<{ id: string }> }) => page.data.map((model) => model.id);

describe(anthropicModelPage.name, () => {
  it('pages forward with has_more and the ids the SDK pages by', () => {
    const first = anthropicModelPage(MODELS, { limit: 2 });
    expect(first).toMatchObject({ has_more: true, first_id: 'a', last_id: 'b' });
    const second = anthropicModelPage(MODELS, { limit: 2, after_id: 'b' });
    expect(ids(second)).toEqual(['c', 'd']);
    const last = anthropicModelPage(MODELS, { limit: 2, after_id: 'd' });
    expect(last).toMatchObject({ data: [{ id: 'e', type: 'model', display_name: 'e' }], has_more: false });
  });

  it('pages backward from before_id, and answers an empty list with null ids', () => {
    expect(ids(anthropicModelPage(MODELS, { limit: 2, before_id: 'e' }))).toEqual(['c', 'd']);
    expect(anthropicModelPage(MODELS, { limit: 2, before_id: 'c' }).has_more).toBe(false);
    expect(anthropicModelPage([], {})).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('lists 20 by default, and refuses an id it cannot page from, naming the field', () => {
    const many = Array.from({ length: 30 }, (_, i) => `m${i}`);
    expect(anthropicModelPage(many, {}).data).toHaveLength(20);
    expect(() => anthropicModelPage(MODELS, { after_id: 'zz' })).toThrow(DenialException);
    try {
      anthropicModelPage(MODELS, { before_id: 'zz' });
    } catch (error) {
      expect((error as DenialException).denial.params?.param).toBe('before_id');
    }
  });
});
