import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DeploymentSetting } from '../../../functions/adapters/dynamo/deployment-setting';

/** A table of one setting item, counting the reads (the stand-in would not show how often the function asks). */
class OneItemTable {
  item: Record<string, unknown> | undefined;
  readonly keys: unknown[] = [];
  async send(command: unknown) {
    if (!(command instanceof GetCommand)) throw new Error('the setting is only read with GetItem');
    this.keys.push(command.input.Key);
    return { $metadata: {}, Item: this.item };
  }
}

describe('a deployment setting another stack writes into the table (the survey page address, M8.1, C7.1)', () => {
  it('reads the item once, keeps its value five minutes, then reads it again', async () => {
    const table = new OneItemTable();
    let now = 0;
    table.item = { PK: 'SETTING#survey-base-url', SK: 'SETTING', value: 'https://a.example.com/' };
    const setting = new DeploymentSetting(table as never, 'caseflow-table', 'survey-base-url', () => now);
    expect(await setting.value()).toBe('https://a.example.com/');
    table.item = { ...table.item, value: 'https://b.example.com/' };
    now = 5 * 60 * 1000 - 1;
    expect(await setting.value()).toBe('https://a.example.com/');
    now = 5 * 60 * 1000;
    expect(await setting.value()).toBe('https://b.example.com/');
    expect(table.keys).toEqual([{ PK: 'SETTING#survey-base-url', SK: 'SETTING' }, { PK: 'SETTING#survey-base-url', SK: 'SETTING' }]);
  });

  it('has no value until the item is written, and asks again a minute later', async () => {
    const table = new OneItemTable();
    let now = 0;
    const setting = new DeploymentSetting(table as never, 'caseflow-table', 'survey-base-url', () => now);
    expect(await setting.value()).toBeUndefined();
    table.item = { PK: 'SETTING#survey-base-url', SK: 'SETTING', value: 'https://a.example.com/' };
    now = 59_999;
    expect(await setting.value()).toBeUndefined();
    now = 60_000;
    expect(await setting.value()).toBe('https://a.example.com/');
  });
});
