import { describe, expect, it } from 'vitest';
import { firstName, renderTemplate, templateVariables, unknownTemplateVariables } from './templates';

describe('templates', () => {
  it('renders known variables, tolerating spaces inside the braces', () => {
    const out = renderTemplate('Hi {{customer.first_name}}, #{{ conversation.number }} by {{agent.name}} at {{account.name}}', {
      'customer.first_name': 'Dana',
      'conversation.number': 42,
      'agent.name': 'Ann Agent',
      'account.name': 'Acme',
    });
    expect(out).toBe('Hi Dana, #42 by Ann Agent at Acme');
  });

  it('renders a missing value as an empty string', () => {
    expect(renderTemplate('Hi {{customer.first_name}}!', { 'customer.first_name': null })).toBe('Hi !');
    expect(renderTemplate('[{{conversation.subject}}]', {})).toBe('[]');
  });

  it('inserts values as text, never evaluating them or their placeholders', () => {
    const evil = '<script>alert(1)</script> {{agent.name}}';
    expect(renderTemplate('Hi {{customer.name}}', { 'customer.name': evil, 'agent.name': 'X' })).toBe(`Hi ${evil}`);
    expect(renderTemplate('{{constructor}} {{__proto__}}', {})).toBe('{{constructor}} {{__proto__}}');
  });

  it('lists variables and the unknown ones', () => {
    expect(templateVariables('{{a.b}} {{customer.name}} {{a.b}}')).toEqual(['a.b', 'customer.name']);
    expect(unknownTemplateVariables('{{customer.name}} {{customer.age}} {{ 1+1 }}')).toEqual(['customer.age', '1+1']);
    expect(unknownTemplateVariables('no variables')).toEqual([]);
  });

  it('takes the first word of a name', () => {
    expect(firstName('  Dana Q. Customer ')).toBe('Dana');
    expect(firstName(null)).toBe('');
  });
});
