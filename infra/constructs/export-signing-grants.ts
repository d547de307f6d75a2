import * as iam from 'aws-cdk-lib/aws-iam';

/** The function's variable that selects the KMS manifest signer (ExportSigningConfigSchema's EXPORT_SIGNING_KEY_ID). */
export const exportSigningEnvironment = (keyArn: string) => ({ EXPORT_SIGNING_KEY_ID: keyArn });

/**
 * Lets a function sign export manifests with the export-signing key (`keyArn`: the stateful
 * stack's export, CaseflowStatefulStack.exportSigningKeyArnImport), and read its public key to
 * write beside them. Sign only the way kms-manifest-signer.ts does: ECDSA_SHA_256 over a digest
 * caseflow computed, so the role cannot have KMS sign raw messages under another algorithm.
 */
export function grantManifestSigning(role: iam.IGrantable, keyArn: string): void {
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['kms:Sign'],
    resourceArns: [keyArn],
    conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
  });
  grantManifestVerifying(role, keyArn);
}

/**
 * Lets a function read the export-signing key's public key, to verify manifests (in process, with
 * manifest-signature.ts: KMS's Verify is not needed and not granted). It signs nothing.
 */
export function grantManifestVerifying(role: iam.IGrantable, keyArn: string): void {
  iam.Grant.addToPrincipal({ grantee: role, actions: ['kms:GetPublicKey'], resourceArns: [keyArn] });
}
