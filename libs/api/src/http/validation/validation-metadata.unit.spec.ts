import { IsInt, IsString, MetadataStorage, getMetadataStorage, validate } from 'class-validator';
import { ALLOCATION_COMMANDS, APPLICANT_COMMANDS } from '@hz/ledger';
import { commandRequestDto } from './request-dto';
import { rememberValidationRules } from './validation-metadata';
import { ApiValidationPipe } from './validation.pipe';

// class-validator's own lookups, as the prototype has them (the remembered ones are own properties).
const lookUp = MetadataStorage.prototype.getTargetValidationMetadatas;
const groupByProperty = MetadataStorage.prototype.groupByPropertyName;

describe('rememberValidationRules', () => {
  beforeAll(() => {
    // What ApiValidationPipe does when it is made.
    new ApiValidationPipe();
  });

  it('gives every command request class the rules class-validator looks up, once per class', () => {
    const storage = getMetadataStorage();
    const classes = [
      ...Object.values(APPLICANT_COMMANDS),
      ...Object.values(ALLOCATION_COMMANDS),
    ].map((definition) => commandRequestDto(definition));
    expect(classes.length).toBeGreaterThan(10);
    for (const dto of classes) {
      const expected = lookUp.call(
        storage,
        dto,
        undefined as unknown as string,
        false,
        false,
        undefined,
      );
      const rules = storage.getTargetValidationMetadatas(
        dto,
        undefined as unknown as string,
        false,
        false,
        undefined,
      );
      expect(rules.length).toBeGreaterThan(0);
      // The same rule objects, in the same order, and the same array on the next call.
      expect(rules).toEqual(expected);
      rules.forEach((rule, index) => expect(rule).toBe(expected[index]));
      expect(
        storage.getTargetValidationMetadatas(dto, undefined as unknown as string, false, false, []),
      ).toBe(rules);
      expect(storage.groupByPropertyName(rules)).toEqual(groupByProperty.call(storage, expected));
      expect(storage.groupByPropertyName(rules)).toBe(storage.groupByPropertyName(rules));
    }
  });

  it('forgets what it remembered when a rule is added, to the class or to a base class', async () => {
    class Base {
      name: unknown;
    }
    IsString()(Base.prototype, 'name');
    class Derived extends Base {}
    expect(await validate(Object.assign(new Derived(), { name: 'a', count: 'x' }))).toEqual([]);
    // Rules added after the first validation of both classes (a class decorated later).
    IsInt()(Derived.prototype, 'count');
    const derivedProblems = await validate(Object.assign(new Derived(), { name: 'a', count: 'x' }));
    expect(derivedProblems.map((problem) => problem.property)).toEqual(['count']);
    IsString()(Base.prototype, 'label');
    const baseProblems = await validate(
      Object.assign(new Derived(), { name: 'a', count: 1, label: 2 }),
    );
    expect(baseProblems.map((problem) => problem.property)).toEqual(['label']);
  });

  it('leaves validation with groups to class-validator: other groups, other rules', async () => {
    class Grouped {
      value: unknown;
    }
    IsString({ groups: ['text'] })(Grouped.prototype, 'value');
    IsInt({ groups: ['number'] })(Grouped.prototype, 'value');
    const instance = Object.assign(new Grouped(), { value: 'x' });
    expect(await validate(instance, { groups: ['text'] })).toEqual([]);
    expect((await validate(instance, { groups: ['number'] })).map((p) => p.property)).toEqual([
      'value',
    ]);
    // No groups: class-validator applies every rule, the grouped ones included (the remembered path).
    const problems = await validate(instance);
    expect(problems.map((problem) => Object.keys(problem.constraints ?? {}))).toEqual([['isInt']]);
  });

  it('installs once', () => {
    const storage = getMetadataStorage();
    const installed = storage.getTargetValidationMetadatas;
    rememberValidationRules();
    rememberValidationRules(storage);
    expect(storage.getTargetValidationMetadatas).toBe(installed);
    expect(Object.prototype.hasOwnProperty.call(storage, 'getTargetValidationMetadatas')).toBe(
      true,
    );
  });
});
