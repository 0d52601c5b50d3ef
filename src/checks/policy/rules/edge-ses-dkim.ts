import { blocks, findReferencing } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EDGE_005',
  title: 'SES domain identities sign with DKIM',
  severity: 'high',
  description:
    'Every aws_ses_domain_identity needs an aws_ses_domain_dkim for the same domain (Easy DKIM), ' +
    'and an aws_sesv2_email_identity must not turn DKIM signing off; unsigned mail fails DMARC alignment and is easy to spoof.',
  resourceTypes: ['aws_ses_domain_identity', 'aws_sesv2_email_identity'],
  check: ({ doc, type, body, resource }) => {
    if (type === 'aws_sesv2_email_identity') {
      return blocks(body.dkim_signing_attributes).some((d) => d.signing_enabled === false || d.signing_enabled === 'false')
        ? ['dkim_signing_attributes turns DKIM signing off']
        : [];
    }
    const dkim = findReferencing(doc, 'aws_ses_domain_dkim', 'domain', resource.address, body.domain);
    return dkim.length > 0 ? [] : ['no aws_ses_domain_dkim for this domain identity, so mail is not DKIM-signed'];
  },
});
