# data/: built-in templates and lab definitions (libconfig), installed under
# $(pkgdatadir) and read through $CERTCON_DATADIR in the build tree.
nobase_dist_pkgdata_DATA += \
	data/labs/contoso.conf \
	data/templates/Administrator.conf \
	data/templates/CA.conf \
	data/templates/CAExchange.conf \
	data/templates/CEPEncryption.conf \
	data/templates/CTLSigning.conf \
	data/templates/ClientAuth.conf \
	data/templates/CodeSigning.conf \
	data/templates/CrossCA.conf \
	data/templates/DirectoryEmailReplication.conf \
	data/templates/DomainController.conf \
	data/templates/DomainControllerAuthentication.conf \
	data/templates/EFS.conf \
	data/templates/EFSRecovery.conf \
	data/templates/EnrollmentAgent.conf \
	data/templates/EnrollmentAgentOffline.conf \
	data/templates/ExchangeUser.conf \
	data/templates/ExchangeUserSignature.conf \
	data/templates/IPSECIntermediateOffline.conf \
	data/templates/IPSECIntermediateOnline.conf \
	data/templates/KerberosAuthentication.conf \
	data/templates/KeyRecoveryAgent.conf \
	data/templates/Machine.conf \
	data/templates/MachineEnrollmentAgent.conf \
	data/templates/OCSPResponseSigning.conf \
	data/templates/OfflineRouter.conf \
	data/templates/RASAndIASServer.conf \
	data/templates/SmartcardLogon.conf \
	data/templates/SmartcardUser.conf \
	data/templates/SubCA.conf \
	data/templates/User.conf \
	data/templates/UserSignature.conf \
	data/templates/WebServer.conf \
	data/templates/Workstation.conf

# The CA service's systemd unit, with the installed binary's path. Installed
# under the prefix so that `make distcheck` stays inside it; a package puts
# it where systemd looks with
#   make install systemdsystemunitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
systemdsystemunitdir = $(prefix)/lib/systemd/system
systemdsystemunit_DATA = data/certcon.service
EXTRA_DIST += data/certcon.service.in
CLEANFILES += data/certcon.service
data/certcon.service: data/certcon.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) data && \
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/data/certcon.service.in >$@.tmp && mv $@.tmp $@
