import { App } from 'aws-cdk-lib';
import { readCaseflowContext } from '../../infra/context';
import { cdkJsonContext } from './support/synth';

const read = (overrides: Record<string, unknown>) => readCaseflowContext(new App({ context: { ...cdkJsonContext(), ...overrides } }).node);

describe('CDK context', () => {
  it('reads the keys of cdk.json', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      senderEmail: 'support@example.com',
      supportAddresses: ['support@example.com'],
      complaintsAddresses: [],
      webOrigin: 'https://support.example.com',
      teamInboxEmail: 'team@example.com',
      supervisorEmail: 'supervisor@example.com',
      managerEmail: 'manager@example.com',
      autoAcknowledgement: true,
      displayTimeZone: 'UTC',
      displayLocale: 'en-GB',
      exportsTimeZone: 'UTC',
      exportsDaily: true,
      exportsWeekly: false,
      exportsMonthly: false,
      slaBreachRateThreshold: 0.1,
      surveyLinkKeys: ['k1'],
    });
  });

  it('signs survey links with one key k1 unless told otherwise, reads a rotated list newest first, and names the key of a bad list (M8.1, C7.1)', () => {
    expect(read({ 'caseflow:surveyLinkKeys': 'k2,k1' }).surveyLinkKeys).toEqual(['k2', 'k1']);
    expect(read({ 'caseflow:surveyLinkKeys': ['k3', 'k2'] }).surveyLinkKeys).toEqual(['k3', 'k2']);
    expect(() => read({ 'caseflow:surveyLinkKeys': '[]' })).toThrow(/caseflow:surveyLinkKeys: name at least one survey link key/);
    expect(() => read({ 'caseflow:surveyLinkKeys': 'k1,k1' })).toThrow(/caseflow:surveyLinkKeys: must not name a key twice/);
    expect(() => read({ 'caseflow:surveyLinkKeys': 'Key One' })).toThrow(/caseflow:surveyLinkKeys\[0\]: must be key ids/);
  });

  it('alarms on the SLA breach rate above 10% unless told otherwise, and names the key of a threshold that is no fraction', () => {
    expect(read({ 'caseflow:slaBreachRateThreshold': '0.25' }).slaBreachRateThreshold).toBe(0.25);
    expect(read({ 'caseflow:slaBreachRateThreshold': 0.05 }).slaBreachRateThreshold).toBe(0.05);
    expect(() => read({ 'caseflow:slaBreachRateThreshold': '10' })).toThrow(/caseflow:slaBreachRateThreshold: must be a fraction, 1 or less/);
    expect(() => read({ 'caseflow:slaBreachRateThreshold': '0' })).toThrow(/caseflow:slaBreachRateThreshold: must be above 0/);
    expect(() => read({ 'caseflow:slaBreachRateThreshold': 'ten percent' })).toThrow(/caseflow:slaBreachRateThreshold: must be a fraction such as 0.1/);
  });

  it('runs the daily compliance export alone by the UTC calendar unless told otherwise, and turns each schedule on or off with -c ...=true|false', () => {
    const exportsOf = (overrides: Record<string, unknown>) => {
      const { exportsTimeZone, exportsDaily, exportsWeekly, exportsMonthly } = read(overrides);
      return { exportsTimeZone, exportsDaily, exportsWeekly, exportsMonthly };
    };
    expect(exportsOf({ 'caseflow:exportsTimeZone': 'Europe/London', 'caseflow:exportsDaily': 'false', 'caseflow:exportsWeekly': 'true', 'caseflow:exportsMonthly': true })).toEqual({
      exportsTimeZone: 'Europe/London',
      exportsDaily: false,
      exportsWeekly: true,
      exportsMonthly: true,
    });
    expect(() => read({ 'caseflow:exportsTimeZone': 'Mars/Olympus_Mons' })).toThrow(/caseflow:exportsTimeZone: must be an IANA time zone/);
    expect(() => read({ 'caseflow:exportsWeekly': 'sometimes' })).toThrow(/caseflow:exportsWeekly: must be true or false/);
  });

  it('shows dates in the company\'s time zone when one is set, and names the key of one Intl does not know', () => {
    expect(read({ 'caseflow:displayTimeZone': 'Europe/Vienna' }).displayTimeZone).toBe('Europe/Vienna');
    expect(() => read({ 'caseflow:displayTimeZone': 'Mars/Olympus_Mons' })).toThrow(/caseflow:displayTimeZone: must be an IANA time zone/);
  });

  it.each(['caseflow:teamInboxEmail', 'caseflow:supervisorEmail', 'caseflow:managerEmail'])(
    'names the key of an SLA contact that is not an email address (M3.2 / C3.3, M3.3): %s',
    (key) => {
      expect(() => read({ [key]: 'supervisor' })).toThrow(new RegExp(`${key}: must be an email address`));
    },
  );

  it('turns the automatic acknowledgement on when the key is absent, and off with -c ...=false (M3.1)', () => {
    expect(read({ 'caseflow:autoAcknowledgement': undefined }).autoAcknowledgement).toBe(true);
    expect(read({ 'caseflow:autoAcknowledgement': false }).autoAcknowledgement).toBe(false);
    expect(read({ 'caseflow:autoAcknowledgement': 'false' }).autoAcknowledgement).toBe(false);
    expect(read({ 'caseflow:autoAcknowledgement': 'true' }).autoAcknowledgement).toBe(true);
  });

  it('rejects an automatic-acknowledgement setting that is not true or false', () => {
    expect(() => read({ 'caseflow:autoAcknowledgement': 'no' })).toThrow(/caseflow:autoAcknowledgement: must be true or false/);
  });

  it('accepts support addresses given on the command line as a JSON array or a comma list', () => {
    expect(read({ 'caseflow:supportAddresses': '["a@example.com","b@example.com"]' }).supportAddresses).toEqual(['a@example.com', 'b@example.com']);
    expect(read({ 'caseflow:supportAddresses': 'a@example.com, b@example.com' }).supportAddresses).toEqual(['a@example.com', 'b@example.com']);
  });

  it('receives no complaints address unless caseflow:complaintsAddresses names some, as a list or a comma list (C4.1)', () => {
    expect(read({ 'caseflow:complaintsAddresses': undefined }).complaintsAddresses).toEqual([]);
    expect(read({ 'caseflow:complaintsAddresses': ['complaints@example.com'] }).complaintsAddresses).toEqual(['complaints@example.com']);
    expect(read({ 'caseflow:complaintsAddresses': 'a@example.com,b@example.com' }).complaintsAddresses).toEqual(['a@example.com', 'b@example.com']);
    expect(() => read({ 'caseflow:complaintsAddresses': ['nope'] })).toThrow(/caseflow:complaintsAddresses\[0\]: must be an email address/);
  });

  it('names the key of a sender that is not an email address', () => {
    expect(() => read({ 'caseflow:senderEmail': 'support' })).toThrow(/caseflow:senderEmail: must be an email address/);
  });

  it('names the key and index of a bad support address', () => {
    expect(() => read({ 'caseflow:supportAddresses': ['ok@example.com', 'nope'] })).toThrow(/caseflow:supportAddresses\[1\]: must be an email address/);
  });

  it('rejects a web origin with a path or a trailing slash', () => {
    expect(() => read({ 'caseflow:webOrigin': 'https://support.example.com/' })).toThrow(/caseflow:webOrigin: must be an origin only/);
    expect(() => read({ 'caseflow:webOrigin': 'https://support.example.com/form' })).toThrow(/caseflow:webOrigin/);
  });

  it('rejects a plain-HTTP web origin other than localhost', () => {
    expect(() => read({ 'caseflow:webOrigin': 'http://support.example.com' })).toThrow(/must use https/);
    expect(read({ 'caseflow:webOrigin': 'http://localhost:3000' }).webOrigin).toBe('http://localhost:3000');
  });

  it('rejects a stage that cannot prefix stack names', () => {
    expect(() => read({ 'caseflow:stage': 'Prod_1' })).toThrow(/caseflow:stage/);
  });

  it('takes the staff sign-in domain prefix Cognito would accept, and names the key of one it refuses', () => {
    expect(read({ 'caseflow:authDomainPrefix': 'acme-support' }).authDomainPrefix).toBe('acme-support');
    expect(() => read({ 'caseflow:authDomainPrefix': 'Acme_Support' })).toThrow(/caseflow:authDomainPrefix: must be 1-63 lower-case letters/);
    expect(() => read({ 'caseflow:authDomainPrefix': 'acme-cognito' })).toThrow(/caseflow:authDomainPrefix: must not contain aws, amazon or cognito/);
  });

  it('takes the console\'s custom domain only with a us-east-1 certificate for it, and names the missing key', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    expect(read({ 'caseflow:consoleDomainName': 'console.example.com', 'caseflow:consoleCertificateArn': certificate })).toMatchObject({
      consoleDomainName: 'console.example.com',
      consoleCertificateArn: certificate,
    });
    expect(() => read({ 'caseflow:consoleDomainName': 'console.example.com' })).toThrow(/caseflow:consoleCertificateArn: is required with caseflow:consoleDomainName/);
    expect(() => read({ 'caseflow:consoleCertificateArn': certificate })).toThrow(/caseflow:consoleDomainName: is required with caseflow:consoleCertificateArn/);
    expect(() => read({ 'caseflow:consoleDomainName': 'console.example.com', 'caseflow:consoleCertificateArn': certificate.replace('us-east-1', 'eu-west-1') })).toThrow(
      /caseflow:consoleCertificateArn: must be the ARN of an ACM certificate in us-east-1/,
    );
  });

  it('takes a CLOUDFRONT-scope web ACL for the console and refuses a regional one', () => {
    const acl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/caseflow/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    expect(read({ 'caseflow:consoleWebAclArn': acl }).consoleWebAclArn).toBe(acl);
    expect(() => read({ 'caseflow:consoleWebAclArn': acl.replace('global', 'regional') })).toThrow(/caseflow:consoleWebAclArn: must be the ARN of a CLOUDFRONT-scope web ACL/);
  });

  it('reports every missing key at once', () => {
    const app = new App({ context: {} });
    expect(() => readCaseflowContext(app.node)).toThrow(
      /caseflow:stage[\s\S]*caseflow:senderEmail[\s\S]*caseflow:supportAddresses[\s\S]*caseflow:webOrigin[\s\S]*caseflow:teamInboxEmail[\s\S]*caseflow:supervisorEmail[\s\S]*caseflow:managerEmail/,
    );
  });
});
